"""Writers killed at random moments (issue 11 item 6, the kill test): after every SIGKILL
the plan file is whole (the old bytes or the new, never half), the next run records what
the killed writer wrote as by its author (never "edited by hand"), and no temp file of
ours is left once the file is written again."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
import tomllib
from datetime import date
from pathlib import Path

from helpers import SAMPLE, write
from improve.api import Change, Workspace
from improve.history import HistoryStore
from improve.plans.loader import load_file

TODAY = date(2017, 1, 5)
KILLS = 12


def _write_forever(folder: str, ready) -> None:
    ws = Workspace(Path(folder))
    n = 0
    ready.set()
    while True:
        n += 1
        ws.update("sample:1.1.2", Change(percent=n % 100, note=f"round {n}"), TODAY, "Killed")


def test_a_writer_killed_at_any_moment_leaves_a_whole_file_and_a_true_history(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    path = write(folder, "sample.toml", SAMPLE)
    with Workspace(folder) as ws:
        ws.sync(ws.load(), TODAY, quiet=False)
    rng = random.Random(7)
    ctx = multiprocessing.get_context("fork")
    for _ in range(KILLS):
        ready = ctx.Event()
        child = ctx.Process(target=_write_forever, args=(str(folder), ready))
        child.start()
        assert ready.wait(30)
        time.sleep(rng.uniform(0.02, 0.25))  # a random moment in the middle of writing
        assert child.pid is not None  # started
        os.kill(child.pid, signal.SIGKILL)
        child.join(30)
        tomllib.loads(path.read_text(encoding="utf-8"))  # whole: it parses
        loaded = load_file(path, folder)
        assert loaded.plan is not None, loaded.problems  # and is still a valid plan
        with Workspace(folder) as ws:  # the next run
            ws.sync(ws.load(), TODAY, quiet=False)
    # a write of ours removes what a killed write of the same file left
    with Workspace(folder) as ws:
        ws.update("sample:1.1.1", Change(note="after the kills"), TODAY, "Next")
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []
    store = HistoryStore(folder)
    try:
        whos = {e.who for e in store.history("sample", "1.1.2") if e.kind == "edit"}
    finally:
        store.close()
    assert whos == {"Killed"}, whos  # every change told as the killed writer's own
