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
        if sys.argv[1] != "floor":
            while True:  # the plans drawn, not just asked for
                summary = app.screen.query_one_optional("#summary")
                if app.statuses is not None and summary is not None and (
                    str(summary.render()) != "Loading plans…"
                ):
                    break
                await asyncio.sleep(0.005)
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


class Tmux:
    """A program in a tmux pane, and how long a key takes to show on its screen."""

    def __init__(self, name: str, command: str, size=(120, 40)) -> None:
        import subprocess

        self.name, self.run = name, subprocess.run
        self.run(["tmux", "kill-session", "-t", name], capture_output=True)
        self.run(["tmux", "new-session", "-d", "-s", name, "-x", str(size[0]), "-y",
                  str(size[1]), command], check=True)  # fmt: skip

    def screen(self, escapes: bool = False) -> str:
        """The pane's text; with `escapes`, its colours too (a cursor moving shows only
        in them)."""
        flags = ["-p", "-e"] if escapes else ["-p"]
        return self.run(
            ["tmux", "capture-pane", *flags, "-t", self.name], capture_output=True, text=True
        ).stdout

    def wait_for(self, text: str, timeout: float = 60) -> float:
        start = time.perf_counter()
        while text not in self.screen():
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"{text!r} never showed")
        return time.perf_counter() - start

    def key(self, key: str, until=None, timeout: float = 10) -> float:
        """Seconds from sending `key` until the screen shows `until` (text), or changes."""
        before = self.screen(escapes=not until)
        start = time.perf_counter()
        self.run(["tmux", "send-keys", "-t", self.name, key], check=True)
        while True:
            now = self.screen(escapes=not until)
            if (until in now) if until else (now != before):
                return time.perf_counter() - start
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"{key} showed nothing")

    def close(self) -> None:
        self.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def seen_from_tmux(folder: Path) -> list[tuple[str, float, str, float, str]]:
    """Keys and screens as a person sees them: from tmux sending the key to the pane
    showing the result. The floor: `less` moving down a line, timed the same way."""
    text = folder.parent / "lines.txt"
    text.write_text("".join(f"line {n}\n" for n in range(2000)))
    less = Tmux("bench-less", f"less {text}")
    less.wait_for("line 1")
    floor = statistics.median(less.key("j") for _ in range(15))
    less.close()
    improve = str(Path(sys.executable).with_name("improve"))
    app = Tmux("bench-app", f"{improve} --plans {folder} --today 2017-06-01")
    try:
        app.wait_for("plans as at")
        time.sleep(1)
        down = statistics.median(app.key("Down") for _ in range(15))
        app.key("Home")
        opens, actions, red = [], [], []
        for _ in range(5):
            opens.append(app.key("Enter", until="actions match"))
            time.sleep(0.3)
            red += [app.key("r"), app.key("r")]  # on, then off again
            time.sleep(0.3)
            actions.append(app.key("Enter", until="Detail  History"))
            time.sleep(0.3)
            app.key("Escape", until="actions match")
            time.sleep(0.3)
            app.key("Escape", until="plans as at")
            time.sleep(0.3)
        red_median = statistics.median(red)
    finally:
        app.close()
    peer = "less moving a line, seen from tmux"
    return [
        ("move down a row, seen from tmux", down, peer, floor, "≤ 0.05 s"),
        ("red filter on or off (a plan's 100 actions), seen from tmux", red_median, peer, floor,
         "≤ 0.05 s"),
        ("open a plan's screen, seen from tmux", statistics.median(opens), peer, floor, "≤ 0.15 s"),
        ("open an action's screen, seen from tmux", statistics.median(actions), peer, floor,
         "≤ 0.15 s"),
    ]  # fmt: skip


async def measure(folder: Path) -> list[tuple[str, float, str, float, str]]:
    """The app's figures for bench/run.py: (what, seconds, floor, floor seconds, target)."""
    floors = [_child("floor") for _ in range(3)]
    ours = [_child(str(folder)) for _ in range(3)]
    floor_first = statistics.median(f["first"] for f in floors)
    return [
        ("first paint, from the process starting", statistics.median(o["first"] for o in ours),
         "a one-widget Textual app", floor_first, "≤ 0.5 s"),
        ("plans drawn, warm, 20,000 actions", statistics.median(o["loaded"] for o in ours),
         "a one-widget Textual app", floor_first, "≤ 1.5 s"),
        *seen_from_tmux(folder),
    ]  # fmt: skip


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
