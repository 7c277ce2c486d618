#!/usr/bin/env bash
# The long fuzz run: about 10,000 generated specs (3 properties x 3,400 examples),
# each checked and, when valid, rendered in process.
set -euo pipefail
cd "$(dirname "$0")/.."
ARCHGEN_FUZZ_EXAMPLES="${ARCHGEN_FUZZ_EXAMPLES:-3400}" .venv/bin/python -m pytest -q -p no:cacheprovider \
  tests/test_fuzz.py --hypothesis-show-statistics "$@"
