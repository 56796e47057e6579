"""The suite's fixtures; what tests share besides fixtures is in helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import CLI_VARS, plans_folder

# what the machine running the tests may have set that changes what improve prints or
# where it reads: cleared for every test (a test that wants one sets it itself)
OUTSIDE = (
    *CLI_VARS,
    "FORCE_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "COLUMNS",
    "LINES",
    "TEXTUAL",
    "TEXTUAL_DRIVER",
    "TEXTUAL_FPS",
    "TEXTUAL_ANIMATIONS",
    "TEXTUAL_SHOW_RETURN",
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_DATE",
    "IMPROVE_DEBUG",
    "EDITOR",
    "VISUAL",
    "PAGER",
)


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch):
    """Every test runs as on a clean machine: `FORCE_COLOR=1`, a narrow `COLUMNS` or an
    `IMPROVE_PLANS` in the shell that runs the suite changes nothing."""
    for var in OUTSIDE:
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(autouse=True, scope="session")
def _cache_key_folder(tmp_path_factory):
    """The plan cache's signing key (improve.speed.cache) is made in the user's cache folder:
    for the tests, and the processes they start, a folder of the run's own."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


@pytest.fixture
def store(folder):
    """A history store over the module's own `folder` fixture, closed afterwards."""
    from improve.history import HistoryStore

    s = HistoryStore(folder)
    yield s
    s.close()


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    return plans_folder(tmp_path)
