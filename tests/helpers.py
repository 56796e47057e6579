"""What the tests share: the sample plan, writing files, running the command line and
the app as a person does, and waiting for a condition (never sleep and hope). Imported by
the tests as `from helpers import …`; conftest.py holds only the fixtures."""

from __future__ import annotations

import textwrap
import time
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "plans"


_T = TypeVar("_T")


def there(value: _T | None) -> _T:
    """`value`, which the test expects to be there: `there(portfolio.plan("x")).title`
    fails as an assertion when it is None, and is typed without the None."""
    assert value is not None
    return value


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


SAMPLE = """\
# Sample plan — comments must survive edits
[plan]
title = "Sample improvement plan"
kind = "ofsted"
start = 2016-09-01   # default start

[[theme]]
id = "1"
title = "Oversight"

[[recommendation]]
ref = "1.1"
theme = "1"
title = "Supervision"
leads = ["Assistant Director, Safeguarding"]

  [[recommendation.action]]
  ref = "1.1.1"
  action = "Refresh the supervision policy"
  due = 2017-01-31
  percent = 50   # half way

    [[recommendation.action.measure]]
    id = "supervision-monthly"
    text = "90% of practitioners receive monthly supervision"
    target = 90
    unit = "%"
    readings = [ { date = 2016-12-31, value = 78 } ]

    [[recommendation.action.update]]
    date = 2016-12-15
    by = "Head of Safeguarding"
    percent = 50
    note = "Draft out for comment"

  # an action with nothing recorded yet
  [[recommendation.action]]
  ref = "1.1.2"
  action = "Train front-line managers"
  leads = ["Head of Safeguarding"]
  due = 2017-06-30

[[recommendation]]
ref = "2.1"
theme = "1"
leads = ["Head of Early Help"]

  [[recommendation.action]]
  ref = "2.1.1"
  action = "Review the early help offer"
  due = 2016-12-31
  percent = 25
"""


CLI_VARS = (
    "IMPROVE_PLANS",
    "IMPROVE_TODAY",
    "IMPROVE_DB",
    "IMPROVE_USER",
    "IMPROVE_CACHE",
    "IMPROVE_COMMIT",
    "IMPROVE_GIT",
    "IMPROVE_NETWORK_FS",
    "NO_COLOR",
)


def clean_env(monkeypatch, tmp_path: Path, columns: int | None = None) -> None:
    """Run the command line as on a clean machine: in `tmp_path`, with none of improve's
    own variables set (and the terminal `columns` wide, when given)."""
    monkeypatch.chdir(tmp_path)
    for var in CLI_VARS:
        monkeypatch.delenv(var, raising=False)
    if columns is not None:
        monkeypatch.setenv("COLUMNS", str(columns))


def run_cli(folder: Path, *args, today: str = "2017-01-05", db: Path | None = None):
    """`improve --plans FOLDER --today TODAY [--db DB] ARGS…` through click's runner."""
    from click.testing import CliRunner

    from improve.cli import cli

    argv = ["--plans", str(folder), "--today", today, *(["--db", str(db)] if db else [])]
    return CliRunner().invoke(cli, [*argv, *map(str, args)], catch_exceptions=False)


APP_TODAY = date(2017, 1, 5)  # the app tests' "today", unless a test says otherwise


async def wait_for(predicate, pilot, seconds: float = 10.0) -> bool:
    """Let the app run until `predicate()` holds, looking every 50 ms for up to `seconds`:
    wait for the thing itself (a worker's result, a reload), never sleep and hope."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.05)
    return True


class Notifications:
    """Stands in for `app.notify` (the screens' notify calls it too): keeps each message,
    then notifies as before. `app.notify.messages` is what the app has told the user."""

    def __init__(self, notify) -> None:
        self.notify = notify
        self.messages: list[str] = []

    def __call__(self, message, *args, **kwargs):
        self.messages.append(str(message))
        return self.notify(message, *args, **kwargs)


def first_load_drawn(app) -> bool:
    """The plans are loaded and the first screen shows them (not "Loading plans…")."""
    screen = app.screen
    summary = screen.query_one_optional("#summary") if screen.is_mounted else None
    return (
        app.statuses is not None
        and summary is not None
        and str(summary.render()) != "Loading plans…"
    )


async def until_loaded(app, pilot) -> None:
    assert await wait_for(lambda: first_load_drawn(app), pilot), "the plans never loaded"
    await pilot.pause()


@asynccontextmanager
async def running(plans: Path, today: date = APP_TODAY, *, size=(120, 40), **options):
    """The app on `plans` (no live reload unless `poll` is given), driven by Pilot, once its
    first load is on screen: `async with running(plans) as (app, pilot):`. What it notifies
    is in `app.notify.messages`; an exception the app does not handle fails the test when
    the block ends."""
    from improve.tui import make_app  # textual only for the tests that drive the app

    options.setdefault("poll", 0)
    options.setdefault("history", False)  # on only where a test says: history=True
    app = make_app(plans, today, **options)
    app.notify = Notifications(app.notify)  # type: ignore[method-assign]  # this app's alone
    async with app.run_test(size=size) as pilot:
        await until_loaded(app, pilot)
        yield app, pilot


def plans_folder(tmp_path: Path, name: str = "sample.toml", text: str = SAMPLE) -> Path:
    """TMP/plans holding one plan file (the sample plan, unless told otherwise)."""
    folder = tmp_path / "plans"
    folder.mkdir()
    write(folder, name, text)
    return folder


def update_file(path: Path, ref: str, change, today, by: str | None = None, **kw):
    """An update through the one library call every front end makes, for a plan known by
    its file (whose id is its name), with no history."""
    from improve.api import Target, Workspace

    ws = Workspace(path.parent, history=False)
    return ws.update(Target(path.stem, ref), change, today, by, **kw)


# Seed 004's staged dates: "Stage 1 core elements: February 2017, Stage 2: December 2017".
STAGED = """\
[plan]
title = "Staged plan"
kind = "ofsted"
start = 2016-09-01

[[recommendation]]
ref = "1.1"
leads = ["Head of Safeguarding and Quality"]

  [[recommendation.action]]
  ref = "1.1.3"
  action = "Review and improve the focus on policies, processes and procedures"
  due = 2017-12-31
  percent = 30  # stage 1 under way

    [[recommendation.action.milestone]]
    label = "Stage 1: core elements"
    due = 2017-02-28

    [[recommendation.action.milestone]]
    label = "Stage 2: all Trix policies/procedures"
    due = 2017-12-31

  [[recommendation.action]]
  ref = "1.1.10"
  action = "Agree the new supervision standard"
  due = 2017-03-31
  percent = 20
"""


# a plan whose actions have new due dates: one agreed (the due in force differs from the
# plan's, shown with "*"), requests awaiting a decision with and without who asked and
# when, and a refused one (the tables and memos show each: tests/test_dayview.py)
EXTENDED = """\
[plan]
title = "Extended plan"
kind = "internal"
start = 2016-09-01

[[recommendation]]
ref = "1"
leads = ["Head of Early Help"]

  [[recommendation.action]]
  ref = "1.1"
  action = "Agreed more time"
  due = 2017-01-31
  percent = 40

    [[recommendation.action.extension]]
    due = 2017-05-31
    reason = "Staff changes"
    agreed_on = 2017-01-10

  [[recommendation.action]]
  ref = "1.2"
  action = "Asked for more time"
  leads = ["Police Inspector"]
  due = 2017-02-28
  percent = 25

    [[recommendation.action.extension]]
    due = 2017-04-30
    reason = "Waiting for the data"
    state = "requested"
    requested_on = 2017-01-02
    requested_by = "Police Inspector"

  [[recommendation.action]]
  ref = "1.3"
  action = "Asked, nobody named"
  due = 2017-03-31

    [[recommendation.action.extension]]
    due = 2017-09-30
    reason = "Summer"
    state = "requested"

  [[recommendation.action]]
  ref = "1.4"
  action = "Refused"
  due = 2016-12-31
  percent = 10

    [[recommendation.action.extension]]
    due = 2017-03-31
    reason = "No reason"
    state = "refused"
    requested_on = 2016-12-01
    refused_on = 2016-12-10
    refused_by = "Director"
"""


def shipped_and_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **more: str) -> Path:
    """A plans folder of the shipped plans and SAMPLE (and `more`: file stem -> text), in a
    clean environment: the folder the memo, day-view and cache tests read."""
    import shutil

    clean_env(monkeypatch, tmp_path)
    plans = tmp_path / "plans"
    plans.mkdir()
    for path in SHIPPED.glob("*.toml"):
        shutil.copy(path, plans / path.name)
    write(plans, "sample.toml", SAMPLE)
    for stem, text in more.items():
        write(plans, f"{stem}.toml", text)
    return plans
