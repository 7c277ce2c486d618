"""Mutation testing for archgen's core: how many small, deliberate bugs do the tests catch?

Each mutant changes one thing in a copy of the tree (a comparison flipped, `and` made `or`,
a constant changed, a returned value dropped, one integration rule deleted from the data)
and runs the behavioural tests against it. A mutant is *killed* when a test fails (or the
run times out), and *survives* when every test still passes. Tests marked `generated`
(byte comparisons of generated files) are not run: they would catch any change for the
wrong reason.

    python benchmarks/mutation.py                       # the default core targets
    python benchmarks/mutation.py archgen/checks/emr.py # one module
    python benchmarks/mutation.py --data-sample 40 --jobs 2 --json mutation.json
    python benchmarks/mutation.py --sample 200 --data-sample 20   # a quicker, evenly spaced sample

The score is killed / (killed + survived). Survivors are listed with file:line and the change;
some may be equivalent (no behaviour can tell them apart), which is for a reader to judge.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TARGETS = ["archgen/model/loader.py", "archgen/checks", "archgen/catalog/integrations.py"]
DATA_TARGET = "archgen/data/integrations.yaml"
# The behavioural tests: every test file but those of other layers (drawing, decks, docs
# builds, import, the editor), which are slow and never reach different core behaviour.
OTHER_LAYERS = {"test_render.py", "test_pictures.py", "test_layout.py", "test_layout_quality.py",
                "test_slides.py", "test_views.py", "test_mkdocs.py", "test_build.py", "test_iac.py",
                "test_lsp.py", "test_readme.py", "test_fuzz.py"}
DEFAULT_TESTS = sorted(f"tests/{p.name}" for p in (ROOT / "tests").glob("test_*.py") if p.name not in OTHER_LAYERS)
ALL = "*"  # a line that runs at import time
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis",
                                     ".ruff_cache", "*.egg-info", "site", "mutants")
SWAP_CMP = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE,
            ast.GtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
SWAP_BIN = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.FloorDiv: ast.Mult,
            ast.Div: ast.Mult, ast.Mod: ast.FloorDiv}


@dataclass
class Mutant:
    file: str
    line: int
    column: int
    change: str
    start: tuple[int, int] = (0, 0)   # (line, col) span of the replaced source
    end: tuple[int, int] = (0, 0)
    replacement: str = ""
    data: str | None = None           # the whole new file, for data mutants
    outcome: str = ""
    seconds: float = 0.0


def _docstring_nodes(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _skipped(tree: ast.AST) -> set[int]:
    """Nodes not worth mutating: docstrings, annotations, f-string internals, __all__."""
    skip = _docstring_nodes(tree)
    for node in ast.walk(tree):
        parts: list[ast.AST] = []
        if isinstance(node, ast.JoinedStr):
            parts = [node]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            parts = [a.annotation for a in node.args.args + node.args.kwonlyargs if a.annotation]
            parts += [node.returns] if node.returns else []
        elif isinstance(node, ast.AnnAssign):
            parts = [node.annotation]
        for part in parts:
            skip.update(id(n) for n in ast.walk(part))
    return skip


def _mutations(node: ast.AST, strings: bool) -> list[tuple[str, ast.AST]]:
    """(description, replacement node) for one AST node."""
    out: list[tuple[str, ast.AST]] = []
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            swap = SWAP_CMP.get(type(op))
            if swap:
                ops = list(node.ops)
                ops[i] = swap()
                out.append((f"{type(op).__name__} -> {swap.__name__}", ast.Compare(node.left, ops, node.comparators)))
    elif isinstance(node, ast.BoolOp):
        other = ast.Or if isinstance(node.op, ast.And) else ast.And
        out.append((f"{type(node.op).__name__} -> {other.__name__}", ast.BoolOp(other(), node.values)))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        out.append(("drop not", node.operand))
    elif isinstance(node, ast.BinOp):
        swap = SWAP_BIN.get(type(node.op))
        if swap:
            out.append((f"{type(node.op).__name__} -> {swap.__name__}", ast.BinOp(node.left, swap(), node.right)))
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            out.append((f"{value} -> {not value}", ast.Constant(not value)))
        elif isinstance(value, int):
            out.append((f"{value} -> {value + 1}", ast.Constant(value + 1)))
            if value != 0:
                out.append((f"{value} -> 0", ast.Constant(0)))
        elif isinstance(value, str) and value and strings:
            out.append((f"{value[:20]!r} -> 'XX'", ast.Constant("XX" + value)))
    return out


def python_mutants(path: Path, strings: bool = False) -> list[Mutant]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    skip = _skipped(tree)
    rel = str(path.relative_to(ROOT))
    found: list[Mutant] = []
    for node in ast.walk(tree):
        if id(node) in skip or not hasattr(node, "lineno"):
            continue
        if "no mutate" in lines[node.lineno - 1]:
            continue
        if isinstance(node, ast.Return) and node.value is not None \
                and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            v = node.value
            found.append(Mutant(rel, node.lineno, node.col_offset + 1, "return None",
                                (v.lineno, v.col_offset), (v.end_lineno, v.end_col_offset), "None"))
            continue
        for change, new in _mutations(node, strings):
            text = ast.unparse(new)
            if not isinstance(new, ast.Constant):
                text = f"({text})"
            found.append(Mutant(rel, node.lineno, node.col_offset + 1, change,
                                (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset), text))
    return sorted(found, key=lambda m: (m.line, m.column, m.change))


def data_mutants(path: Path, sample: int) -> list[Mutant]:
    """Delete one integration rule at a time (an evenly spaced sample of `sample` rules)."""
    if sample <= 0:
        return []
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    rules = data.get("rules") or []
    step = max(1, len(rules) // sample)
    rel = str(path.relative_to(ROOT))
    out = []
    for i in range(0, len(rules), step)[:sample]:
        mutated = dict(data)
        mutated["rules"] = rules[:i] + rules[i + 1:]
        out.append(Mutant(rel, 0, 0, f"delete rule {rules[i].get('id', i)}",
                          data=yaml.safe_dump(mutated, sort_keys=False, allow_unicode=True)))
    return out


def apply(source: str, m: Mutant) -> str:
    lines = source.splitlines(keepends=True)
    (l1, c1), (l2, c2) = m.start, m.end
    # AST columns are UTF-8 byte offsets.
    head = lines[l1 - 1].encode("utf-8")[:c1].decode("utf-8")
    tail = lines[l2 - 1].encode("utf-8")[c2:].decode("utf-8")
    return "".join(lines[:l1 - 1]) + head + m.replacement + tail + "".join(lines[l2:])


def _env(workdir: Path) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(workdir), PYTHONDONTWRITEBYTECODE="1",
                ARCHGEN_FUZZ_EXAMPLES=os.environ.get("ARCHGEN_FUZZ_EXAMPLES", "20"))


def coverage_map(workdir: Path, tests: list[str]) -> dict[str, dict[int, set[str]]]:
    """Which tests run each line of archgen: {file: {line: {test node id}}}, from one traced run."""
    from coverage import CoverageData

    rc = workdir / ".mutation-coveragerc"
    rc.write_text("[run]\ndynamic_context = test_function\nsource = archgen\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "coverage", "run", f"--rcfile={rc}", "-m", "pytest", "-q",
                    "-p", "no:cacheprovider", "-m", "not generated", *_existing(workdir, tests)],
                   cwd=workdir, env=_env(workdir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    data = CoverageData(str(workdir / ".coverage"))
    data.read()
    out: dict[str, dict[int, set[str]]] = {}
    for measured in data.measured_files():
        rel = str(Path(measured).resolve().relative_to(workdir.resolve()))
        lines: dict[int, set[str]] = {}
        for line, contexts in data.contexts_by_lineno(measured).items():
            # The empty context is import time (module and class bodies): every test depends on it.
            ids = {ALL if not c else _node_id(workdir, c) for c in contexts}
            lines[line] = {i for i in ids if i}
        out[rel] = lines
    return out


def _node_id(workdir: Path, context: str) -> str | None:
    """`tests.test_x.TestY.test_z` -> `tests/test_x.py::TestY::test_z`."""
    parts = context.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        path = Path(*parts[:cut]).with_suffix(".py")
        if (workdir / path).exists():
            return "::".join([str(path), *parts[cut:]])
    return None


def _existing(workdir: Path, tests: list[str]) -> list[str]:
    return [t for t in tests if (workdir / t.split("::")[0]).exists()]


def run_tests(workdir: Path, tests: list[str], timeout: float) -> tuple[bool, float]:
    env = _env(workdir)
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-m", "not generated",
           *_existing(workdir, tests)]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=workdir, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=timeout)
        passed = proc.returncode == 0
    except subprocess.TimeoutExpired:
        passed = False
    return passed, time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("targets", nargs="*", default=DEFAULT_TARGETS, help="modules or folders to mutate")
    ap.add_argument("--tests", nargs="*", default=DEFAULT_TESTS, help="test files to run")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--data-sample", type=int, default=40, help="rules to delete from integrations.yaml")
    ap.add_argument("--strings", action="store_true", help="also mutate string constants (messages)")
    ap.add_argument("--limit", type=int, default=0, help="run only the first N mutants (0: all)")
    ap.add_argument("--sample", type=int, default=0,
                    help="run N code mutants evenly spaced over all of them (0: all); the same tree "
                         "gives the same sample, so before/after runs compare like with like")
    ap.add_argument("--json", type=Path, help="write every mutant and its outcome here")
    args = ap.parse_args()

    files: list[Path] = []
    for t in args.targets:
        p = ROOT / t
        files += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    mutants = [m for f in files for m in python_mutants(f, args.strings)]
    if args.sample and args.sample < len(mutants):
        step = len(mutants) / args.sample
        mutants = [mutants[int(i * step)] for i in range(args.sample)]
    if args.targets == DEFAULT_TARGETS:
        mutants += data_mutants(ROOT / DATA_TARGET, args.data_sample)
    if args.limit:
        mutants = mutants[:args.limit]

    with tempfile.TemporaryDirectory(prefix="archgen-mut-") as tmp:
        workers = []
        for i in range(args.jobs):
            w = Path(tmp) / f"w{i}"
            shutil.copytree(ROOT, w, ignore=COPY_IGNORE)
            workers.append(w)
        ok, base = run_tests(workers[0], args.tests, timeout=3600)
        if not ok:
            print("the unmutated tree fails its tests; fix that first", file=sys.stderr)
            return 2
        timeout = 3 * base + 20
        covered = coverage_map(workers[0], args.tests)
        print(f"{len(mutants)} mutants, baseline test run {base:.1f} s, timeout {timeout:.0f} s", flush=True)

        def tests_for(m: Mutant) -> list[str]:
            """The tests that run the mutated lines (all of them for data mutants)."""
            if m.data is not None:
                return args.tests
            lines = covered.get(m.file, {})
            ids: set[str] = set()
            for line in range(m.start[0], m.end[0] + 1):
                ids |= lines.get(line, set())
            return args.tests if ALL in ids else sorted(ids)

        def run(pair: tuple[int, Mutant]) -> Mutant:
            i, m = pair
            w = workers[i % args.jobs]
            target = w / m.file
            original = target.read_text(encoding="utf-8")
            target.write_text(m.data if m.data is not None else apply(original, m), encoding="utf-8")
            selected = tests_for(m)
            try:
                if selected:
                    passed, m.seconds = run_tests(w, selected, timeout)
                else:
                    passed = True  # no test runs this line: nothing can notice the change
            finally:
                target.write_text(original, encoding="utf-8")
            m.outcome = "survived" if passed else "killed"
            where = f"{m.file}:{m.line}:{m.column}" if m.line else m.file
            print(f"{m.outcome:8} {where} {m.change}", flush=True)
            return m

        # One worker copy per job; mutants are dealt round-robin so no copy is shared.
        results: list[Mutant] = []
        with ThreadPoolExecutor(args.jobs) as pool:
            batches = [[(i, m) for i, m in enumerate(mutants) if i % args.jobs == j] for j in range(args.jobs)]
            for out in pool.map(lambda batch: [run(p) for p in batch], batches):
                results += out

    killed = sum(m.outcome == "killed" for m in results)
    survived = [m for m in results if m.outcome == "survived"]
    total = killed + len(survived)
    print(f"\nscore: {killed}/{total} killed = {100 * killed / max(total, 1):.1f}%")
    by_file: dict[str, list[int]] = {}
    for m in results:
        k = by_file.setdefault(m.file, [0, 0])
        k[0 if m.outcome == "killed" else 1] += 1
    for f, (k, s) in sorted(by_file.items()):
        print(f"  {f}: {k}/{k + s} killed")
    if survived:
        print("\nsurvivors:")
        for m in sorted(survived, key=lambda m: (m.file, m.line)):
            print(f"  {m.file}:{m.line}:{m.column} {m.change}")
    if args.json:
        args.json.write_text(json.dumps([asdict(m) for m in results], indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
