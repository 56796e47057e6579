"""Concurrent writers on one plan file, 50 rounds each (issue 11 item 1):

    .venv/bin/python bench/bench_writers.py [--rounds 50]

Four and eight processes update different actions of one file at once, with one shared
history database, a database each, and none. Prints, for each, the updates reported as
made, how many of those are missing from the file (lost, false successes), refusals,
crashes and half-written files; all but the first must be 0. The time is per update,
against a bare tomlkit round trip of the file measured in the same run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from writers_helper import plan_text, run_writers  # noqa: E402


def floor(writers: int) -> float:
    import tomlkit

    text = plan_text(writers)
    started = time.perf_counter()
    for _ in range(20):
        tomlkit.dumps(tomlkit.parse(text))
    return (time.perf_counter() - started) / 20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=50)
    args = ap.parse_args()
    print(f"{'writers':>7} {'history':>9} {'made':>5} {'lost':>5} {'false':>5} "
          f"{'refused':>7} {'crashed':>7} {'half':>5} {'per update':>11}")  # fmt: skip
    bad = 0
    for writers in (4, 8):
        base = floor(writers)
        for mode in ("shared", "separate", "none"):
            with tempfile.TemporaryDirectory() as tmp:
                started = time.perf_counter()
                o = run_writers(Path(tmp), writers, args.rounds, mode)
                took = time.perf_counter() - started
            per = took / max(1, writers * args.rounds)
            print(
                f"{writers:>7} {mode:>9} {o.successes:>5} {o.lost:>5} {o.false:>5} "
                f"{o.refusals:>7} {o.crashes:>7} {o.half_written:>5} "
                f"{per * 1000:>8.1f} ms ({per / base:.0f}x a tomlkit round trip)"
            )
            bad += o.lost + o.refusals + o.crashes + o.half_written
            for line in o.details[:5]:
                print("   ", line)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
