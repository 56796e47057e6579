"""The long fuzz run (issue 11 item 6): thousands of mutants of the shipped plans.

    .venv/bin/python bench/fuzz.py [--count 5000] [--seed 2017]

Each mutant is loaded as a plan file; prints how many loaded as plans, how many as their
own errors, the slowest load against a bare tomllib parse of the largest shipped plan
(measured in the same run), and every mutant handled wrongly (an exception, a load over
2 s, a message that is not one FILE:LINE:COL line). Exit status 1 if any.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from fuzz_helper import SEEDS, check_mutant, mutants  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=2017)
    args = ap.parse_args()
    largest = max(SEEDS, key=lambda p: p.stat().st_size).read_text(encoding="utf-8")
    started = time.perf_counter()
    tomllib.loads(largest)
    floor = time.perf_counter() - started
    wrong: list[str] = []
    kinds: Counter[str] = Counter()
    slowest = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for mutant in mutants(args.count, args.seed):
            kinds.update(mutant.steps)
            t = time.perf_counter()
            wrong += check_mutant(Path(tmp), mutant)
            slowest = max(slowest, time.perf_counter() - t)
    print(f"{args.count} mutants ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})")
    print(f"slowest load {slowest:.2f} s = {slowest / floor:.0f}x a parse of the largest plan")
    print(f"handled wrongly: {len(wrong)}")
    for line in wrong[:20]:
        print("  ", line)
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
