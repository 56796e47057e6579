"""What the commands share: the workspace for the settings (the one factory), the plans
folder checked and loaded, JSON out, and the files that did not load said once each."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TypeVar, overload

import click

from ..api import json_inert
from .errors import Failed, echo

if TYPE_CHECKING:
    from _collections_abc import dict_items, dict_keys, dict_values
    from collections.abc import Iterator, Mapping

    from rich.console import Console

    from ..api import DayView, PlanCache, Portfolio, Workspace
    from .options import Settings

_T = TypeVar("_T")

# Set by `run` (the `improve` command), which ends the process as soon as the command is
# done: what a command `keep`s is then never freed object by object (50 ms for 10,000
# plans and their statuses) but let go with the process. Called in a process that goes on
# (tests, a caller of `main`), `keep` holds nothing.
LEAVING = False
_KEPT: list[object] = []


def keep(*objects: object) -> None:
    """Hold `objects` until the process ends, when it ends at once (LEAVING)."""
    if LEAVING:
        _KEPT.extend(objects)


def workspace(s: Settings) -> Workspace:
    """The workspace for these settings, closed when the command ends; what the history
    cannot do is a warning on stderr (commands that need it ask with `require_store`)."""
    from ..api import Workspace

    ws = Workspace(
        s.plans, db=s.db, warn=lambda message: echo(f"improve: warning: {message}", err=True)
    )
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.call_on_close(ws.close)
    return ws


def folder_there(s: Settings) -> None:
    if not s.plans.is_dir():
        raise Failed(
            f"no plans folder at {s.plans}; give --plans DIR, set IMPROVE_PLANS, "
            "or create one with `improve new ID`"
        )


def load(s: Settings, cache: PlanCache | None = None) -> tuple[Workspace, Portfolio]:
    """The workspace and every plan in it (after checking the folder is there); `cache`,
    the folder's cache when `today` read it already."""
    folder_there(s)
    ws = workspace(s)
    return ws, ws.load(cache)


def today(s: Settings, *, json: bool = False) -> tuple[DayView | None, PlanCache | None]:
    """The folder as the rules saw it earlier today (improve.speed.dayview), or None, with the
    cache read for it, for `load` to use."""
    from ..api import open_day, resolve_path

    folder_there(s)
    view, cache = open_day(s.plans, resolve_path(s.plans, s.db), s.today, json=json)
    keep(view, cache)  # tens of thousands of records: let go with the process
    return view, cache


class RawJSON(str):
    """An item of a streamed list that is JSON text already (a plan from today's memo)."""


def emit_json(obj: dict[str, Any], stream: str | None = None) -> None:
    """Indented for a person at a terminal; compact (and ~10× faster: the C encoder) in a
    pipe. `stream`: the key of `obj` whose items (an iterable) are encoded and written one
    at a time in a pipe, so that a 20,000-action document is never held whole, as dicts or
    as text; the bytes are exactly those of encoding it whole."""
    import json

    if sys.stdout.isatty() or stream is None:
        if stream is not None:  # indented for a person: the list made whole
            obj = {**obj, stream: list(obj[stream])}
        indent = 2 if sys.stdout.isatty() else None
        click.echo(json_inert(json.dumps(obj, ensure_ascii=False, indent=indent)))
        return
    for n, (key, value) in enumerate(obj.items()):
        click.echo(("{" if n == 0 else ", ") + json.dumps(key) + ": ", nl=False)
        if key == stream:
            click.echo("[", nl=False)
            for i, item in enumerate(value):
                click.echo(", " if i else "", nl=False)
                text = item if isinstance(item, RawJSON) else json.dumps(item, ensure_ascii=False)
                click.echo(json_inert(text), nl=False)
            click.echo("]", nl=False)
        else:
            click.echo(json_inert(json.dumps(value, ensure_ascii=False)), nl=False)
    click.echo("{}" if not obj else "}")


def report_failed(console: Console, portfolio: Portfolio) -> None:
    from rich.text import Text

    from ..api import display_name

    for f in portfolio.failed:
        said = f.errors or f.problems  # a link that is not followed has a warning only
        first = said[0] if said else f"{display_name(f.path)}: not read"
        more = len(said) - 1
        tail = f" (and {more} more; run `improve check`)" if more > 0 else ""
        line = Text("not loaded: ", style="bold")
        line.append(f"{first}{tail}")  # plan text is never read as markup
        console.print(line)


class LazyCommands(dict[str, click.Command]):
    """A group's commands, those of other modules (`modules`: command name → module of
    improve.cli, whose `register(group)` adds them) registered when first looked up, and
    all of them when listed (iterating, `len`, `keys`, `items`, `values`): `status` then
    does not import `kpi`'s or `report`'s modules (issue 27)."""

    def __init__(
        self, group: click.Group, modules: dict[str, str], commands: Mapping[str, click.Command]
    ) -> None:
        super().__init__(commands)
        self.group = group
        self.modules = modules

    def _load(self, name: object) -> None:
        module = self.modules.get(name) if isinstance(name, str) else None
        if module is not None and not dict.__contains__(self, name):
            from importlib import import_module

            import_module(f"improve.cli.{module}").register(self.group)

    def _load_all(self) -> None:
        for name in self.modules:
            self._load(name)

    @overload
    def get(self, name: str, default: None = None, /) -> click.Command | None: ...
    @overload
    def get(self, name: str, default: click.Command, /) -> click.Command: ...
    @overload
    def get(self, name: str, default: _T, /) -> click.Command | _T: ...
    def get(self, name: str, default: object = None, /) -> object:
        self._load(name)
        return dict.get(self, name, default)

    def __getitem__(self, name: str) -> click.Command:
        self._load(name)
        return dict.__getitem__(self, name)

    def __contains__(self, name: object) -> bool:
        self._load(name)
        return dict.__contains__(self, name)

    def __iter__(self) -> Iterator[str]:
        self._load_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._load_all()
        return dict.__len__(self)

    def keys(self) -> dict_keys[str, click.Command]:
        self._load_all()
        return dict.keys(self)

    def items(self) -> dict_items[str, click.Command]:
        self._load_all()
        return dict.items(self)

    def values(self) -> dict_values[str, click.Command]:
        self._load_all()
        return dict.values(self)
