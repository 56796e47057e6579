"""Loading, status and editing at scale, as ratios against floors measured in the same run.

    .venv/bin/python bench/bench_load.py [--plans 200] [--actions 100]

Floors (docs/performance notes in CONTRIBUTING.md): Python start-up in this venv; tomllib parsing the same bytes;
tomlkit parsing the one file an edit touches.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import tomllib
from datetime import date
from pathlib import Path

import tomlkit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate
from improve import api
from improve.edits.editing import Change, apply_change

TODAY = date(2017, 6, 1)


def best(fn, repeat=3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plans", type=int, default=200)
    ap.add_argument("--actions", type=int, default=100)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "plans"
        paths = generate(folder, args.plans, args.actions)
        size = sum(p.stat().st_size for p in paths)
        blobs = [p.read_bytes() for p in paths]
        print(f"{args.plans} plans, {args.plans * args.actions} actions, {size / 1e6:.1f} MB")

        floor_parse = best(lambda: [tomllib.loads(b.decode()) for b in blobs])
        load = best(lambda: api.load(folder))
        portfolio = api.load(folder)
        status = best(lambda: api.portfolio_status(portfolio, TODAY))
        print(
            f"tomllib parse (floor)   {floor_parse * 1000:8.1f} ms  ({size / 1e6 / floor_parse:.1f} MB/s)"
        )
        print(f"load + validate         {load * 1000:8.1f} ms  = {load / floor_parse:.2f}× floor")
        print(
            f"status rules            {status * 1000:8.1f} ms  = {status / floor_parse:.2f}× floor"
        )

        py = [sys.executable, "-c", "pass"]
        floor_start = best(lambda: subprocess.run(py, check=True), 5)
        cli = [
            sys.executable,
            "-m",
            "improve",
            "status",
            "--json",
            "--plans",
            str(folder),
            "--today",
            TODAY.isoformat(),
        ]
        whole = best(lambda: subprocess.run(cli, check=True, capture_output=True), 3)
        print(f"python start (floor)    {floor_start * 1000:8.1f} ms")
        print(
            f"improve status --json   {whole * 1000:8.1f} ms  = {whole / floor_start:.1f}× start, "
            f"{whole / (floor_start + floor_parse):.2f}× (start + parse)"
        )

        one = paths[len(paths) // 2]
        text = one.read_text()
        floor_tk = best(lambda: tomlkit.parse(text))
        edit = best(
            lambda: apply_change(text, one, "3.2", Change(percent=60, note="n"), TODAY, "me")
        )
        print(f"tomlkit parse one file  {floor_tk * 1000:8.1f} ms  (floor for a tomlkit write)")
        print(
            f"edit one action         {edit * 1000:8.1f} ms  = {edit / floor_tk:.2f}× tomlkit parse"
        )


if __name__ == "__main__":
    main()
