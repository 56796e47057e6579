from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "plans"


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


@pytest.fixture
def store(folder):
    """A history store over the module's own `folder` fixture, closed afterwards."""
    from improve.history import HistoryStore

    s = HistoryStore(folder)
    yield s
    s.close()


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    write(folder, "sample.toml", SAMPLE)
    return folder


def update_file(path: Path, ref: str, change, today, by: str | None = None, **kw):
    """An update through the one library call every front end makes, for a plan known by
    its file (whose id is its name), with no history."""
    from improve.api import Target, Workspace

    ws = Workspace(path.parent, history=False)
    return ws.update(Target(path.stem, ref), change, today, by, **kw)
