"""Key-press latency in the app at scale, as ratios against a floor measured in the same run.

    .venv/bin/python bench/bench_app.py [--plans 200] [--actions 100] [--big 20000]

Two portfolios: 200 plans of 100 actions (20,000 actions), and one plan of 20,000 actions.
The floor is a key with no binding, pressed through the same Pilot: everything Textual
does for any key press. The budget in issue 3 is ~50 ms a key at 20,000 actions; a
DataTable of 2,000 rows takes ~0.25 s to paint, so no screen may build one that big.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import random

from generate import generate, plan_text
from improve.tui import make_app

TODAY = date(2017, 6, 1)


async def timed(pilot, *keys, repeat: int = 5) -> float:
    """Median seconds from pressing the keys to the screen having handled them."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        await pilot.press(*keys)
        await pilot.pause()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def run(folder: Path, label: str) -> None:
    app = make_app(folder, TODAY, user="Head of Service 3", poll=0)
    start = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first_paint = time.perf_counter() - start
        await app.workers.wait_for_complete()
        await pilot.pause()
        loaded = time.perf_counter() - start
        floor = await timed(pilot, "z", repeat=9)
        rows = []
        rows.append(("sort worst first (w, s)", await timed(pilot, "w") + await timed(pilot, "s")))
        rows.append(("open the first plan", await timed(pilot, "enter", repeat=1)))
        table = app.screen.query_one("#actions")
        rows.append((f"toggle red filter ({len(table.keys)} rows)", await timed(pilot, "r")))
        rows.append(("move down a row", await timed(pilot, "down")))
        rows.append(("fold all / unfold all", await timed(pilot, "minus", "plus") / 2))
        await pilot.press("c", "slash")
        rows.append(("type a search letter", await timed(pilot, "1", repeat=3)))
        await pilot.press("escape", "c", "escape", "escape")
        await pilot.pause()
        rows.append(("open every plan's actions", await timed(pilot, "a", repeat=1)))
        table = app.screen.query_one("#actions")
        rows.append((f"  then toggle red ({len(table.keys)} rows)", await timed(pilot, "r")))
        rows.append(("  then my actions", await timed(pilot, "m")))
    print(
        f"\n{label}: first paint {first_paint * 1000:.0f} ms, loaded {loaded:.2f} s "
        "(loading runs in a worker; the screen paints first)"
    )
    print(f"  floor: an unbound key through Pilot = {floor * 1000:.1f} ms")
    for name, seconds in rows:
        print(f"  {name:<40} {seconds * 1000:7.1f} ms  = {seconds / floor:5.1f}× floor")


CHILD = """
import asyncio, json, sys, time
t0 = float(sys.argv[2])
from pathlib import Path
from datetime import date
async def go():
    if sys.argv[1] == "floor":
        from textual.app import App
        from textual.widgets import Static
        class Floor(App):
            def compose(self):
                yield Static("plans")
        app = Floor()
    else:
        from improve.tui import make_app
        app = make_app(Path(sys.argv[1]), date(2017, 6, 1), user="Head of Service 3", poll=0)
    async with app.run_test(size=(120, 40)) as pilot:
        first = time.time() - t0
        await app.workers.wait_for_complete()
        await pilot.pause()
        print(json.dumps({"first": first, "loaded": time.time() - t0}))
asyncio.run(go())
"""


def _child(what: str) -> dict:
    import json
    import subprocess

    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, what, repr(start)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


async def measure(folder: Path) -> list[tuple[str, float, str, float, str]]:
    """The app's figures for bench/run.py: (what, seconds, floor, floor seconds, target)."""
    floors = [_child("floor") for _ in range(3)]
    ours = [_child(str(folder)) for _ in range(3)]
    floor_first = statistics.median(f["first"] for f in floors)
    rows = [
        ("first paint, from the process starting", statistics.median(o["first"] for o in ours),
         "a one-widget Textual app", floor_first, "≤ 0.5 s"),
        ("fully loaded, warm, 20,000 actions", statistics.median(o["loaded"] for o in ours),
         "a one-widget Textual app", floor_first, "≤ 1.5 s"),
    ]  # fmt: skip
    app = make_app(folder, TODAY, user="Head of Service 3", poll=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        floor = await timed(pilot, "z", repeat=9)
        key = "an unbound key through Pilot"
        rows.append(
            ("move down a row", await timed(pilot, "down", repeat=9), key, floor, "≤ 0.05 s")
        )
        rows.append(
            ("red filter on and off", await timed(pilot, "r", repeat=6), key, floor, "≤ 0.05 s")
        )
        rows.append(
            ("open a plan's screen", await timed(pilot, "enter", repeat=1), key, floor, "≤ 0.15 s")
        )
        rows.append(
            (
                "open an action's screen",
                await timed(pilot, "enter", repeat=1),
                key,
                floor,
                "≤ 0.15 s",
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--actions", type=int, default=100)
    parser.add_argument("--big", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        many = Path(tmp) / "many"
        many.mkdir()
        generate(many, args.plans, args.actions)
        asyncio.run(run(many, f"{args.plans} plans × {args.actions} actions"))
        big = Path(tmp) / "big"
        big.mkdir()
        (big / "big.toml").write_text(plan_text(0, args.big, random.Random(2)), encoding="utf-8")
        asyncio.run(run(big, f"one plan of {args.big} actions"))


if __name__ == "__main__":
    main()
