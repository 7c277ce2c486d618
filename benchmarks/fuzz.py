"""A grammar-aware fuzzer: specs generated from the spec grammar and the catalog, then mutated,
run through `archgen check` and `archgen render -T svg` (in-process, through the CLI runner).

    python benchmarks/fuzz.py [--cases 3000] [--seed 1] [--timeout 20] [--keep DIR]

Each case starts as a spec that follows the grammar (components with real service ids and
aliases from the catalog in their sections, chains and mapping flows along legal pairs of the
rule book, nested groups, views with steps, EMR clusters with real instance types), dumped as
YAML, so most cases get past the YAML loader. Most are then mutated once or a few times:
wrong types, hostile strings (control characters, markup, escapes, very long text), huge
numbers, deep nesting, unknown keys, duplicated ids (a duplicated line, so YAML sees the
duplicate key), dangling references, and a few edits of the text itself (a tab, a cut).

Counted: cases; the share past the YAML loader (no finding of the loader's codes); the share
past the schema (no E1xx either); the outcome of each command by exit code; tracebacks
(must be 0); timeouts (must be 0); findings or messages without file:line:column (must be 0).
Deterministic for a seed. ``--keep DIR`` writes every case that failed a count to DIR.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

from archgen.catalog.instances import load_instances
from archgen.catalog.integrations import load_rules
from archgen.catalog.services import load_services

ROLES = ("sources", "streams", "stores", "analytics")
HOSTILE = ["\x00", "a\x01b", "\x1b[31mred\x1b[0m", "\ufffe", "\u2028", "\u0085", "<b>x</b>", "&amp;", "\"];x[",
           "\\N\\G", "// archgen-key: 0123456789abcdef", "::error file=a::b", "\ud7ff", "🚀", "مرحبا",
           "x" * 5000, "", " ", "\n", "a\nb", "${HOME}", "%s%n", "../../etc/passwd", "*", "-> ->", "a -> b",
           "\t", "\r", "\u202e", "\x7f", "NaN", "~", "null", "yes"]
HUGE = [10**30, -(10**30), 2**63, 2**64 + 1, -1, 0, 1e308, float("inf"), float("nan"), 10**6, 2**31]
WRONG = [None, True, 3, 2.5, "text", [], ["a"], {}, {"k": "v"}, [[[]]], {"a": {"b": {"c": {}}}}]
KEYS = ["servce", "lable", "memebers", "flow", "froms", "__proto__", "<<", "archgen", "ignore", "steps", "x" * 300]
LOADER = {"E001", "E002", "E003", "E004", "E005", "E006", "E007"}
NOT_RENDERED = ": not rendered (fix the errors above)"
POSITION = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): [EWI]\d{3} ")


class Timeout(BaseException):
    pass


class Grammar:
    """Spec pieces drawn from the catalog, the rule book and the instance catalog."""

    def __init__(self) -> None:
        services = load_services()
        self.services = sorted(s.id for s in services)
        self.aliases = sorted({a for s in services for a in s.aliases})
        self.roles = {s.id: (s.roles or ("analytics",)) for s in services}
        self.pairs = sorted(load_rules().pairs())
        instances = load_instances()
        self.instances = sorted(f"{f}.{size}" for f in instances.families for size in instances.sizes[:4])
        self.workloads = sorted(instances.workloads)

    def spec(self, rng: random.Random) -> dict:
        n = rng.randint(1, 9)
        comps: dict[str, str] = {}
        data: dict = {"archgen": 1, "title": rng.choice(["Pipeline", "Lake", "Streaming analytics"])}
        if rng.random() < 0.5:
            data["direction"] = rng.choice(["LR", "TB", "RL", "BT"])
        if rng.random() < 0.2:
            data["theme"] = rng.choice(["light", "dark"])
        if rng.random() < 0.3:
            data["description"] = "A generated architecture."
        chain = [rng.choice(self.pairs)]
        while len(chain) < n:  # grow a path along legal pairs where one exists
            nxt = [p for p in self.pairs if p[0] == chain[-1][1]]
            chain.append(rng.choice(nxt) if nxt else rng.choice(self.pairs))
        for i, (service, _) in enumerate(chain):
            comps[f"c{i}"] = service
        comps[f"c{len(chain)}"] = chain[-1][1]
        for cid, service in comps.items():
            role = rng.choice(self.roles[service])
            body: object = service
            if service == "emr" and rng.random() < 0.8:
                body = {"service": "emr", "workload": rng.choice(self.workloads),
                        "lifetime": rng.choice(["transient", "long-running"]),
                        "nodes": {"primary": {"instance": rng.choice(self.instances)},
                                  "core": {"instance": rng.choice(self.instances), "count": rng.randint(1, 8)},
                                  "task": {"instance": rng.choice(self.instances), "count": rng.randint(0, 20),
                                           "market": rng.choice(["spot", "on-demand"])}}}
            elif rng.random() < 0.3:
                body = {"service": rng.choice([service, *(a for a in self.aliases if a.startswith(service[:3]))][:2]),
                        "label": f"Label {cid}"}
                if rng.random() < 0.2:
                    body["notes"] = "some notes"
                if rng.random() < 0.1:
                    body["ignore"] = ["W201"]
            data.setdefault(role, {})[cid] = body
        ids = list(comps)
        flows: list = []
        i = 0
        while i < len(ids) - 1:
            step = rng.randint(1, 3)
            part = ids[i:i + step + 1]
            if len(part) > 1:
                if rng.random() < 0.7:
                    flows.append(" -> ".join(part) if rng.random() < 0.8 else "->".join(part))
                else:
                    for a, b in zip(part, part[1:]):
                        flow = {"from": a, "to": b}
                        if rng.random() < 0.4:
                            flow["label"] = "hourly"
                        if rng.random() < 0.2:
                            flow["via"] = rng.choice(["crawler", "direct-put", "sdk", "copy", "esm"])
                        flows.append(flow)
            i += step
        data["flows"] = flows
        if rng.random() < 0.5 and len(ids) > 2:
            groups = {"g0": {"label": "Group", "members": ids[: len(ids) // 2]}}
            if rng.random() < 0.4:
                groups["g1"] = {"members": ["g0", ids[-1]]}
            data["groups"] = groups
        if rng.random() < 0.4:
            view = {"name": rng.choice(["ingest", "query", "w"]), "show": ids[:2]}
            if rng.random() < 0.5:
                view = {"name": "steps", "steps": [ids[:1], ids[:2]]}
            if rng.random() < 0.3:
                view["focus"] = ids[-2:]
            data["views"] = [view]
        return data


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*path, i))


def _get(node, path):
    for p in path:
        node = node[p]
    return node


def _set(data, path, value) -> None:
    if not path:
        return
    _get(data, path[:-1])[path[-1]] = value


def mutate(data: dict, rng: random.Random) -> dict:
    """One data-level mutation of a generated spec."""
    paths = [p for p in _paths(data) if p]
    path = rng.choice(paths)
    kind = rng.choice(["type", "hostile", "huge", "deep", "unknown-key", "dangling", "drop", "hostile-key",
                       "hostile-id"])
    if kind == "type":
        _set(data, path, rng.choice(WRONG))
    elif kind == "hostile":
        _set(data, path, rng.choice(HOSTILE))
    elif kind == "huge":
        _set(data, path, rng.choice(HUGE))
    elif kind == "deep":
        value: object = "x"
        for _ in range(rng.choice([5, 30, 60, 70, 200])):
            value = [value] if rng.random() < 0.5 else {"k": value}
        _set(data, path, value)
    elif kind == "unknown-key":
        parent = _get(data, path[:-1])
        if isinstance(parent, dict):
            parent[rng.choice(KEYS)] = rng.choice([*WRONG, *HOSTILE[:5]])
    elif kind == "dangling":
        _set(data, path, rng.choice(["nope", "c0 -> nope", "c0 -> c0", "g0", "c99 -> c0"]))
    elif kind == "drop":
        parent = _get(data, path[:-1])
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
        elif isinstance(parent, list) and parent:
            parent.pop(path[-1])
    elif kind in ("hostile-key", "hostile-id"):
        parent = _get(data, path[:-1])
        if isinstance(parent, dict):
            parent[rng.choice(HOSTILE[:12]) + ("" if kind == "hostile-key" else "id")] = parent.pop(path[-1])
    return data


def text_mutate(text: str, rng: random.Random) -> str:
    """One edit of the YAML text: a duplicated line (a duplicate key), a tab, a cut, a stray byte."""
    lines = text.splitlines(keepends=True)
    kind = rng.choice(["duplicate", "duplicate", "tab", "cut", "byte", "crlf", "bom"])
    if kind == "duplicate" and len(lines) > 2:
        i = rng.randrange(1, len(lines))
        lines.insert(i, lines[i])
    elif kind == "tab" and lines:
        i = rng.randrange(len(lines))
        lines[i] = "\t" + lines[i]
    elif kind == "cut":
        return text[: rng.randrange(len(text) + 1)]
    elif kind == "byte":
        i = rng.randrange(len(text) + 1)
        return text[:i] + rng.choice(["\x00", "\x0c", "\ufeff", "\x85", "\u2028", "'", '"', "&", "*", "!"]) + text[i:]
    elif kind == "crlf":
        return text.replace("\n", "\r\n") if rng.random() < 0.5 else text.replace("\n", "\r")
    elif kind == "bom":
        return "\ufeff" + text
    return "".join(lines)


def case(grammar: Grammar, rng: random.Random) -> str:
    data = grammar.spec(rng)
    for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
        data = mutate(data, rng)
    try:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=rng.random() < 0.5, width=10**6)
    except (yaml.YAMLError, RecursionError, ValueError):
        text = "archgen: 1\ntitle: x\n"
    if rng.random() < 0.15:
        text = text_mutate(text, rng)
    return text


def _alarm(signum, frame):
    raise Timeout()


def run(args: list[str], timeout: float):
    """Exit code, stdout, stderr of the CLI in-process; ``"timeout"`` past ``timeout`` s;
    ``"traceback"`` with the exception when the command raised."""
    from typer.testing import CliRunner

    from archgen.cli import app

    runner = CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        result = runner.invoke(app, args, catch_exceptions=True)
    except Timeout:
        return "timeout", "", ""
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        return "traceback", "".join(traceback.format_exception(result.exception)), ""
    out = result.stdout
    err = result.stderr if hasattr(result, "stderr") else ""
    return result.exit_code, out, err


def unpositioned(findings: list[dict], stderr: str, file: str) -> list[str]:
    """Findings without a line and column, and stderr lines about the spec that name no position."""
    bad = [f"{f.get('code')}: {f.get('message')}" for f in findings
           if not (isinstance(f.get("line"), int) and f["line"] >= 1 and isinstance(f.get("column"), int)
                   and f["column"] >= 1 and f.get("file") == file)]
    for line in stderr.splitlines():
        if line.startswith(file) and not POSITION.match(line) and not line.endswith(NOT_RENDERED):
            bad.append(line)
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    grammar = Grammar()
    rng = random.Random(args.seed)
    counts: Counter = Counter()
    outcomes = {"check": Counter(), "render": Counter()}
    problems: list[tuple[int, str, str]] = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "case.yaml"
        for n in range(args.cases):
            text = case(grammar, rng)
            spec.write_text(text, encoding="utf-8", errors="surrogatepass", newline="")
            file = str(spec)
            code, out, err = run(["check", file, "-f", "json"], args.timeout)
            outcomes["check"][code] += 1
            findings: list[dict] = []
            if isinstance(code, int):
                try:
                    findings = json.loads(out)["findings"]
                except (ValueError, KeyError):
                    problems.append((n, "check", f"not JSON: {out[:200]!r} {err[:200]!r}"))
            else:
                problems.append((n, "check", f"{code}: {out[-600:]}"))
            codes = {f["code"] for f in findings}
            if isinstance(code, int) and not (codes & LOADER) and code != 2:
                counts["past yaml"] += 1
                if not any(c.startswith("E1") for c in codes):
                    counts["past schema"] += 1
            problems += [(n, "check", f"no position: {b}") for b in unpositioned(findings, err, file)]
            rcode, rout, rerr = run(["render", file, "-T", "svg", "-o", str(Path(tmp) / "out"), "--color", "never"],
                                    args.timeout)
            outcomes["render"][rcode] += 1
            if not isinstance(rcode, int):
                problems.append((n, "render", f"{rcode}: {rout[-600:]}"))
            if isinstance(rcode, int) and "Traceback" in rout + rerr:
                problems.append((n, "render", "traceback in output"))
            problems += [(n, "render", f"no position: {b}") for b in unpositioned([], rerr, file)]
            if isinstance(code, int) and isinstance(rcode, int) and code in (0, 1) and (code == 0) != (rcode == 0):
                problems.append((n, "render", f"check exit {code} but render exit {rcode}: {rerr[-300:]}"))
            if (n + 1) % 500 == 0:
                print(f"... {n + 1} cases, {len(problems)} problems, {time.perf_counter() - start:.0f} s",
                      file=sys.stderr, flush=True)
            if args.keep and problems and problems[-1][0] == n:
                args.keep.mkdir(parents=True, exist_ok=True)
                (args.keep / f"case-{n}.yaml").write_text(text, encoding="utf-8", errors="surrogatepass", newline="")
    total = args.cases
    tracebacks = sum(o["traceback"] for o in outcomes.values())
    timeouts = sum(o["timeout"] for o in outcomes.values())
    print(f"cases: {total} (seed {args.seed}), {time.perf_counter() - start:.0f} s")
    print(f"past the YAML loader: {counts['past yaml']} ({100 * counts['past yaml'] / total:.1f}%)")
    print(f"past the schema: {counts['past schema']} ({100 * counts['past schema'] / total:.1f}%)")
    for name, outcome in outcomes.items():
        print(f"{name} exit codes: " + ", ".join(f"{k}: {v}" for k, v in sorted(outcome.items(), key=str)))
    print(f"tracebacks: {tracebacks}")
    print(f"timeouts: {timeouts}")
    print(f"messages without file:line:column: {sum(1 for p in problems if 'no position' in p[2])}")
    print(f"other problems: {sum(1 for p in problems if 'no position' not in p[2])}")
    for n, command, what in problems[:40]:
        print(f"  case {n} {command}: {what}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
