"""What yaml-language-server (the YAML support of VS Code, Neovim, Helix, ...) shows for a
spec with archgen's JSON Schema: its diagnostics, hover texts and completions, measured by
driving the real server over stdio.

    npm install --prefix /tmp/yls yaml-language-server@1
    python benchmarks/editor/yaml_ls_probe.py --server /tmp/yls/node_modules/.bin/yaml-language-server \\
        [--schema schemas/archgen.schema.json] [SPEC] [hover:LINE:COL | completion:LINE:COL ...]

Positions are 1-based. Without probes it uses those of benchmarks/editor/probe.yaml. The
spec's first line is pointed at --schema (so an older schema can be compared), unless
--as-written keeps the spec's own modeline.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEFAULT_PROBES = ["hover:5:8", "hover:10:20", "hover:14:14", "hover:7:12", "hover:18:38",
                  "completion:8:13", "completion:15:5"]


class Server:
    def __init__(self, command: list[str]):
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.diagnostics: dict[str, list] = {}

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _read(self) -> dict:
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if line in (b"\r\n", b""):
                break
            key, value = line.decode().split(":", 1)
            if key.lower() == "content-length":
                length = int(value)
        return json.loads(self.proc.stdout.read(length))

    def _handle(self, message: dict) -> None:
        if message.get("method") == "textDocument/publishDiagnostics":
            self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
        elif "id" in message and "method" in message:  # a request from the server
            result = None
            if message["method"] == "workspace/configuration":
                result = [{"validate": True, "hover": True, "completion": True} for _ in message["params"]["items"]]
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})

    def request(self, method: str, params: dict):
        self.next_id += 1
        rid = self.next_id
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            message = self._read()
            if message.get("id") == rid and "method" not in message:
                return message.get("result")
            self._handle(message)

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})


def probe(server_cmd: str, schema: Path | None, spec: Path, probes: list[str]) -> dict:
    lines = spec.read_text(encoding="utf-8").splitlines(keepends=True)
    if schema is not None:
        lines[0] = f"# yaml-language-server: $schema={schema.resolve().as_uri()}\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / spec.name if schema is not None else spec.resolve()
        if schema is not None:
            path.write_text("".join(lines), encoding="utf-8")
        uri = path.as_uri()
        server = Server([server_cmd, "--stdio"])
        server.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {
            "textDocument": {"hover": {"contentFormat": ["markdown"]}},
            "workspace": {"configuration": True}}})
        server.notify("initialized", {})
        server.notify("workspace/didChangeConfiguration",
                      {"settings": {"yaml": {"validate": True, "hover": True, "completion": True}}})
        server.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": "".join(lines)}})
        for _ in range(20):  # diagnostics come after a debounce
            time.sleep(0.25)
            server.request("textDocument/hover",
                           {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
            if server.diagnostics.get(uri):
                break
        out: dict = {"diagnostics": sorted(
            [d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1, d["message"]]
            for d in server.diagnostics.get(uri, []))}
        for item in probes:
            kind, line, col = item.split(":")
            position = {"textDocument": {"uri": uri}, "position": {"line": int(line) - 1, "character": int(col) - 1}}
            if kind == "hover":
                result = server.request("textDocument/hover", position)
                text = result["contents"]["value"] if result else ""
                out[item] = text.split("\n\nSource: ")[0]
            else:
                result = server.request("textDocument/completion", position)
                items = result["items"] if isinstance(result, dict) else (result or [])
                out[item] = [i["label"] for i in items]
        server.proc.kill()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="the yaml-language-server executable")
    parser.add_argument("--schema", type=Path, default=ROOT / "schemas" / "archgen.schema.json")
    parser.add_argument("--as-written", action="store_true",
                        help="keep the spec's own modeline (to check that it resolves)")
    parser.add_argument("spec", nargs="?", type=Path, default=HERE / "probe.yaml")
    parser.add_argument("probes", nargs="*")
    args = parser.parse_args()
    result = probe(args.server, None if args.as_written else args.schema, args.spec,
                   args.probes or DEFAULT_PROBES)
    for key, value in result.items():
        if isinstance(value, list) and value and isinstance(value[0], str):
            value = f"{len(value)} items: {', '.join(value[:8])}{', ...' if len(value) > 8 else ''}"
        elif isinstance(value, str):
            value = f"{len(value)} characters: {value[:300]!r}"
        elif key == "diagnostics":
            value = "\n  " + "\n  ".join(
                f"{ln}:{c}: {m[:200]}" + (f" ... ({len(m)} characters)" if len(m) > 200 else "") for ln, c, m in value)
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
