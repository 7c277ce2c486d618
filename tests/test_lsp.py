"""`archgen lsp` driven over stdio as an editor drives it: initialize, didOpen,
publishDiagnostics, codeAction; the quick fixes applied give specs that check clean."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archgen.check import check_source
from tests.conftest import FIXTURES

LSP = FIXTURES / "lsp"


class Client:
    """A minimal LSP client: JSON-RPC with Content-Length framing over the server's pipes."""

    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "archgen", "lsp", "--stdio"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
        self.next_id = 0
        self.buffer = b""
        self.notifications: list[dict] = []

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.next_id and "method" not in message:
                assert "error" not in message, message
                return message["result"]
            self.notifications.append(message)

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def wait_for(self, method: str) -> dict:
        for i, message in enumerate(self.notifications):
            if message.get("method") == method:
                return self.notifications.pop(i)["params"]
        while True:
            message = self.read()
            if message.get("method") == method:
                return message["params"]
            self.notifications.append(message)

    def read(self, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            head, sep, rest = self.buffer.partition(b"\r\n\r\n")
            if sep:
                length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                                  if line.lower().startswith(b"content-length")))
                if len(rest) >= length:
                    self.buffer = rest[length:]
                    return json.loads(rest[:length])
            left = deadline - time.monotonic()
            assert left > 0, f"no message from the server; stderr: {self.proc.stderr.read1(4000)!r}"
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                assert chunk, f"the server exited; stderr: {self.proc.stderr.read().decode()[-2000:]}"
                self.buffer += chunk

    def close(self) -> int:
        self.request("shutdown", None)
        self.notify("exit", None)
        try:
            return self.proc.wait(timeout=20)
        finally:
            self.proc.stdin.close()
            self.proc.stdout.close()
            self.proc.stderr.close()


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("workspace")
    c = Client(root)
    result = c.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {}})
    assert result["serverInfo"]["name"] == "archgen"
    assert result["capabilities"]["codeActionProvider"]["codeActionKinds"] == ["quickfix"]
    c.notify("initialized", {})
    yield c
    assert c.close() == 0


def open_doc(client: Client, path: Path, text: str) -> list[dict]:
    client.notify("textDocument/didOpen", {"textDocument": {"uri": path.as_uri(), "languageId": "yaml",
                                                            "version": 1, "text": text}})
    params = client.wait_for("textDocument/publishDiagnostics")
    assert params["uri"] == path.as_uri()
    return params["diagnostics"]


def actions(client: Client, path: Path, diagnostic: dict) -> list[dict]:
    return client.request("textDocument/codeAction", {
        "textDocument": {"uri": path.as_uri()}, "range": diagnostic["range"],
        "context": {"diagnostics": [diagnostic]}})


def rng(line: int, start: int, end: int) -> dict:
    return {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}}


def apply(text: str, edits: list[dict]) -> str:
    """Apply LSP text edits (all relative to the original text), last first."""
    lines = text.splitlines(True)

    def offset(pos):
        return sum(len(line) for line in lines[:pos["line"]]) + pos["character"]

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        a, b = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:a] + edit["newText"] + text[b:]
    return text


def test_illegal_flow_diagnostic_and_detour(client, tmp_path):
    spec = tmp_path / "clicks.yaml"
    text = (LSP / "illegal-flow.yaml").read_text()
    diags = open_doc(client, spec, text)
    cli_findings = check_source(text, str(spec)).findings
    assert [(d["code"], d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1) for d in diags] == \
        [(f.code, f.line, f.column) for f in cli_findings]
    e301 = diags[0]
    assert e301["code"] == "E301" and e301["severity"] == 1 and e301["source"] == "archgen"
    assert e301["range"] == rng(11, 21, 25)  # `lake` in `  - web -> clicks -> lake`
    assert e301["message"].startswith("Kinesis Data Streams cannot deliver into Amazon S3: no AWS integration "
                                      "connects `kinesis-data-streams` to `s3`\nhint: ")
    assert "use firehose: kinesis-data-streams -> firehose -> s3" in e301["message"]
    assert e301["codeDescription"]["href"] == "https://docs.aws.amazon.com/streams/latest/dev/kdf-consumer.html"
    fixes = actions(client, spec, e301)
    first = fixes[0]
    assert first["title"] == "Route through firehose: kinesis-data-streams -> firehose -> s3"
    assert first["kind"] == "quickfix" and first["isPreferred"] is True
    edits = first["edit"]["changes"][spec.as_uri()]
    assert edits == [{"range": rng(5, 0, 0), "newText": "  firehose: firehose\n"},
                     {"range": rng(11, 21, 21), "newText": "firehose -> "}]
    fixed = apply(text, edits)
    assert "  - web -> clicks -> firehose -> lake\n" in fixed
    assert check_source(fixed, str(spec)).findings == []


def test_legacy_service_and_unknown_service(client, tmp_path):
    spec = tmp_path / "legacy.yaml"
    text = (LSP / "legacy-and-typo.yaml").read_text()
    diags = open_doc(client, spec, text)
    assert [(d["code"], d["range"], d["severity"]) for d in diags] == [
        ("E110", rng(6, 12, 19), 1),  # `firehse`
        ("E303", rng(8, 10, 36), 1),  # `kinesis-data-analytics-sql`, retired
    ]
    typo = actions(client, spec, diags[0])
    assert [a["title"] for a in typo] == ["Change to `firehose`"]
    legacy = actions(client, spec, diags[1])
    assert [a["title"] for a in legacy] == ["Replace `kinesis-data-analytics-sql` by its successor `managed-flink`"]
    assert legacy[0]["edit"]["changes"][spec.as_uri()] == [{"range": rng(8, 10, 36), "newText": "managed-flink"}]
    fixed = apply(apply(text, legacy[0]["edit"]["changes"][spec.as_uri()]),
                  typo[0]["edit"]["changes"][spec.as_uri()])
    assert "  delivery: firehose\n" in fixed and "  sqlapp: managed-flink\n" in fixed
    assert check_source(fixed, str(spec)).findings == []


def test_did_you_mean_for_a_key(client, tmp_path):
    spec = tmp_path / "typo.yaml"
    text = (LSP / "key-typo.yaml").read_text()
    diags = open_doc(client, spec, text)
    assert [(d["code"], d["range"]) for d in diags] == [("E101", rng(5, 42, 47))]  # the key `lable`
    fix = actions(client, spec, diags[0])
    assert [a["title"] for a in fix] == ["Change to `label`"]
    fixed = apply(text, fix[0]["edit"]["changes"][spec.as_uri()])
    assert "  clicks: {service: kinesis-data-streams, label: Click events}\n" in fixed
    assert check_source(fixed, str(spec)).findings == []


def test_changes_update_the_diagnostics(client, tmp_path):
    spec = tmp_path / "clicks.yaml"
    text = (LSP / "illegal-flow.yaml").read_text()
    assert [d["code"] for d in open_doc(client, spec, text)] == ["E301"]
    fixed = text.replace("clicks -> lake", "clicks -> delivery -> lake").replace(
        "  clicks: kinesis-data-streams\n", "  clicks: kinesis-data-streams\n  delivery: firehose\n")
    client.notify("textDocument/didChange", {"textDocument": {"uri": spec.as_uri(), "version": 2},
                                             "contentChanges": [{"text": fixed}]})
    params = client.wait_for("textDocument/publishDiagnostics")
    assert params["diagnostics"] == [] and params["version"] == 2
