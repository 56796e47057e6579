"""Many writers updating different actions of one plan file at once, each in its own
process, and a count of what became of every update they were told had been made.

Used by tests/test_writers.py (a quick run) and bench/bench_writers.py (50 rounds)."""

from __future__ import annotations

import multiprocessing
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

TODAY = date(2017, 1, 5)


def plan_text(writers: int) -> str:
    actions = "".join(
        f'\n  [[recommendation.action]]\n  ref = "1.{n}"\n  action = "Action {n}"\n'
        f"  due = 2017-12-31\n  percent = 0\n"
        for n in range(1, writers + 1)
    )
    return (
        '[plan]\ntitle = "Shared plan"\nstart = 2016-09-01\n\n[[recommendation]]\n'
        f'ref = "1"\nleads = ["Lead"]\n{actions}'
    )


def _writer(folder: str, n: int, rounds: int, db: str | None, history: bool, out) -> None:
    from improve.api import Change, ImproveError, Workspace

    ws = Workspace(Path(folder), db=db, history=history)
    for r in range(1, rounds + 1):
        try:
            ws.update(f"shared:1.{n}", Change(note=f"w{n} r{r}"), TODAY, f"Writer {n}")
            out.put(("ok", n, r))
        except ImproveError as exc:
            out.put(("refused", n, f"{exc.code}: {exc}"))
        except BaseException as exc:  # a crash is counted, not hidden
            out.put(("crashed", n, repr(exc)))
    ws.close()


@dataclass
class Outcome:
    successes: int
    lost: int  # reported made, not in the file
    false: int  # the same, counted per writer's claim (a success for a change not there)
    refusals: int
    crashes: int
    half_written: int  # the file does not parse
    details: list[str]


def run_writers(tmp: Path, writers: int, rounds: int, mode: str) -> Outcome:
    """`mode`: "shared" (one history database), "separate" (one each) or "none"."""
    folder = tmp / f"plans-{writers}-{mode}"
    folder.mkdir()
    (folder / "shared.toml").write_text(plan_text(writers), encoding="utf-8")
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    procs = []
    for n in range(1, writers + 1):
        db = {
            "shared": str(tmp / f"{mode}-{writers}.db"),
            "separate": str(tmp / f"w{writers}-{n}.db"),
        }
        procs.append(
            ctx.Process(
                target=_writer,
                args=(str(folder), n, rounds, db.get(mode), mode != "none", out),
            )
        )
    for p in procs:
        p.start()
    results = [out.get(timeout=300) for _ in range(writers * rounds)]
    for p in procs:
        p.join(60)
    ok = {(n, r) for kind, n, r in results if kind == "ok"}
    details = [f"{kind} writer {n}: {r}" for kind, n, r in results if kind != "ok"]
    try:
        data = tomllib.loads((folder / "shared.toml").read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError:
        return Outcome(len(ok), len(ok), len(ok), 0, 0, 1, details)
    written = set()
    for action in data["recommendation"][0]["action"]:
        for entry in action.get("update", []):
            note = entry.get("note", "")
            w, r = note.split()
            written.add((int(w[1:]), int(r[1:])))
    missing = ok - written
    return Outcome(
        successes=len(ok),
        lost=len(missing),
        false=len(missing),
        refusals=sum(kind == "refused" for kind, _, _ in results),
        crashes=sum(kind == "crashed" for kind, _, _ in results),
        half_written=0,
        details=details + [f"lost: writer {n} round {r}" for n, r in sorted(missing)],
    )
