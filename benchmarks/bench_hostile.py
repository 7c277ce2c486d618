"""Whole-process `archgen check` on the attacks of the second hardening round, at the sizes
that used to take minutes, to show each now takes about as long as reading the spec.

    python benchmarks/bench_hostile.py [--runs 3]

Cases (generated into a temporary folder):
- `chain-40`: a flow of 40 `->` hops without spaces ending in a stray `>` (was: hang);
- `suggest-5000`: 5,000 components and 20,000 misspelt references (was: 12 minutes);
- `cycle-5000`: 5,000 groups nested in one chain and closed into a cycle (was: 3 min 40 s);
- `steps-90000`: a view of 90,000 steps (was: passed `check`, `render --all-views` hung);
- `chain-150000`: one flow item of 150,000 hops (was: passed the flow limit);
- `nest-1000`: groups nested 1,000 deep (was: `RecursionError` in render);
- `billion-laughs`: the alias bomb fixture.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from whole import alternate, archgen_command, machine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HEAD = "archgen: 1\ntitle: Attack\n"
PAIR = "sources:\n  a: sdk\nstreams:\n  b: kinesis-data-streams\n"


def cases() -> dict[str, str]:
    comps = "".join(f"  comp{i}: sdk\n" for i in range(5000))
    return {
        "chain-40": HEAD + PAIR + "flows:\n  - " + "a->b->" * 20 + "b>\n",
        "suggest-5000": HEAD + "sources:\n" + comps + "flows:\n"
        + "".join(f"  - cmop{i % 5000}x{i // 5000} -> comp{i % 5000}\n" for i in range(20000)),
        "cycle-5000": HEAD + PAIR + "flows: [a -> b]\ngroups:\n"
        + "".join(f"  g{i}: {{members: [g{(i + 1) % 5000}]}}\n" for i in range(5000)),
        "steps-90000": HEAD + PAIR + "flows: [a -> b]\nviews:\n  - name: v\n    steps:\n" + "    - [a]\n" * 90000,
        "chain-150000": HEAD + PAIR + "flows:\n  - " + "->".join(["a", "b"] * 75000) + "\n",
        "nest-1000": HEAD + PAIR + "flows: [a -> b]\ngroups:\n"
        + "".join(f"  g{i}: {{members: [{'g' + str(i + 1) if i < 999 else 'a'}]}}\n" for i in range(1000)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    exe = archgen_command()
    with tempfile.TemporaryDirectory() as tmp:
        commands = {}
        sizes = {}
        for name, text in cases().items():
            spec = Path(tmp) / f"{name}.yaml"
            spec.write_text(text)
            sizes[name] = len(text.encode())
            commands[name] = ([*exe, "check", str(spec), "--max-bytes", "10000000"], (1,))
        bomb = ROOT / "tests" / "fixtures" / "hostile" / "billion-laughs.yaml"
        commands["billion-laughs"] = ([*exe, "check", str(bomb)], (1,))
        sizes["billion-laughs"] = bomb.stat().st_size
        medians = alternate(commands, args.runs)
    print(f"machine: {machine()}")
    print(f"median of {args.runs} whole processes each (exit 1 expected: every case is refused or has errors)\n")
    print("| case | bytes | wall s | CPU s |\n|---|---|---|---|")
    for name, (wall, cpu) in medians.items():
        print(f"| `{name}` | {sizes[name]:,} | {wall:.2f} | {cpu:.2f} |")


if __name__ == "__main__":
    main()
