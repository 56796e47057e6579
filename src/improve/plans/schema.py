"""Plan format version 1: every key, its type, and the checks on one table.

The checker walks the data `tomllib` returned and reports problems by path; the
loader turns paths into `FILE:LINE:COL` only when there is something to report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, TypeAlias

from ..inert import hidden_in
from . import model
from .dates import suggest_date

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .positions import KeyPath


@dataclass(frozen=True)
class Key:
    """One key of a table."""

    kind: str  # str | int | number | date | bool | strs | table | tables | dict
    required: bool = False
    choices: tuple[str, ...] = ()
    spec: Spec | None = None
    low: float | None = None
    high: float | None = None


Spec: TypeAlias = "dict[str, Key]"  # a table's keys, by name


@dataclass
class Issue:
    """A problem found at a path, before it has a line and column."""

    path: KeyPath
    message: str
    severity: str = "error"
    at: str = "key"  # key | value


# What one file may report before the checks stop: a file with thousands of errors is not
# a plan with mistakes in it, and finding (and printing) every one would cost seconds.
MAX_ERRORS = 1000
MAX_WARNINGS = 1000
# The largest number a report can show and a spreadsheet hold exactly (15 digits)
MAX_NUMBER = 10**15


class TooManyErrors(Exception):
    """Raised by `Report.error` past MAX_ERRORS: the checks stop there."""


@dataclass
class Report:
    issues: list[Issue] = field(default_factory=list)
    dropped_tables: set[str] = field(default_factory=set)  # kinds of table left out for errors
    duplicates: list[tuple[list[KeyPath], str]] = field(default_factory=list)
    # every prefix of every error's path: `errors_at` is asked once per action, so a scan
    # of the issues each time would be quadratic in a file with thousands of errors
    _error_prefixes: set[KeyPath] = field(default_factory=set, repr=False)
    errors: int = 0
    warnings: int = 0
    more_warnings: int = 0  # past MAX_WARNINGS: counted, not kept
    hidden_possible: bool = True  # False: the text has no invisible character to look for

    def dropped(self, kind: str) -> bool:
        return kind in self.dropped_tables

    def errors_at(self, path: Iterable[str | int]) -> bool:
        return tuple(path) in self._error_prefixes

    def duplicate(self, paths: list[KeyPath], message: str) -> None:
        """Items that must be unique; every one after the first in the file is an error."""
        self.duplicates.append((paths, message))

    def error(self, path: Iterable[str | int], message: str, at: str = "key") -> None:
        path = tuple(path)
        if self.errors >= MAX_ERRORS:
            self.issues.append(
                Issue(
                    path,
                    f"more than {MAX_ERRORS} errors in this file; the checks stop here "
                    "(is this file a plan?)",
                    "error",
                    at,
                )
            )
            raise TooManyErrors
        self.errors += 1
        self.issues.append(Issue(path, message, "error", at))
        self._error_prefixes.update(path[:n] for n in range(len(path) + 1))

    def warning(self, path: Iterable[str | int], message: str, at: str = "key") -> None:
        if self.warnings >= MAX_WARNINGS:
            self.more_warnings += 1
            return
        self.warnings += 1
        self.issues.append(Issue(tuple(path), message, "warning", at))

    @property
    def has_errors(self) -> bool:
        return bool(self._error_prefixes)


EXTRA = Key("dict")  # free-form data
READING = {
    "date": Key("date", True),
    "value": Key("number", True),
    "note": Key("str"),
    "extra": EXTRA,
}
VARIANCE = {
    "amber": Key("number", True, low=0),
    "red": Key("number", True, low=0),
}
COMPARATOR = {
    "date": Key("date", True),
    "england": Key("number"),
    "region": Key("number"),
    "neighbours": Key("number"),
    "neighbours_by": Key("str", choices=model.NEIGHBOURS_BY),
    "source": Key("str"),
    "extra": EXTRA,
}
MEASURE = {
    "id": Key("str", True),
    "text": Key("str", True),
    "target": Key("number"),
    "unit": Key("str"),
    "direction": Key("str", choices=model.DIRECTIONS),
    "baseline": Key("number"),
    "readings": Key("tables", spec=READING),
    "variance": Key("table", spec=VARIANCE),
    "comparators": Key("tables", spec=COMPARATOR),
    "extra": EXTRA,
}
EVIDENCE = {
    "date": Key("date", True),
    "text": Key("str", True),
    "link": Key("str"),
    "measure": Key("str"),
    "extra": EXTRA,
}
EXTENSION = {
    "due": Key("date", True),
    "reason": Key("str", True),
    "agreed_on": Key("date"),
    "agreed_by": Key("str"),
    "state": Key("str", choices=model.EXTENSION_STATES),
    "requested_on": Key("date"),
    "requested_by": Key("str"),
    "refused_on": Key("date"),
    "refused_by": Key("str"),
    "refused_reason": Key("str"),
    "extra": EXTRA,
}
MILESTONE = {
    "label": Key("str", True),
    "due": Key("date"),
    "done": Key("bool"),
    "done_on": Key("date"),
    "extra": EXTRA,
}
UPDATE = {
    "date": Key("date", True),
    "by": Key("str"),
    "percent": Key("int", low=0, high=100),
    "status": Key("str", choices=model.STATUSES),
    "note": Key("str"),
    "changes": Key("strs"),
    "extra": EXTRA,
}
ACTION = {
    "ref": Key("str", True),
    "outcome": Key("str"),
    "action": Key("str", True),
    "leads": Key("strs"),
    "start": Key("date"),
    "due": Key("date"),
    "percent": Key("int", low=0, high=100),
    "status": Key("str", choices=model.STATUSES),
    "impact": Key("str", choices=model.IMPACTS),
    "impact_note": Key("str"),
    "weight": Key("number", low=0),
    "rag": Key("str", choices=model.OVERRIDE_COLOURS),
    "rag_reason": Key("str"),
    "rag_until": Key("date"),
    "extension": Key("tables", spec=EXTENSION),
    "milestone": Key("tables", spec=MILESTONE),
    "measure": Key("tables", spec=MEASURE),
    "evidence": Key("tables", spec=EVIDENCE),
    "update": Key("tables", spec=UPDATE),
    "extra": EXTRA,
}
RECOMMENDATION = {
    "ref": Key("str", True),
    "theme": Key("str"),
    "source": Key("str"),
    "title": Key("str"),
    "text": Key("str"),
    "leads": Key("strs"),
    "why": Key("str"),
    "good_looks_like": Key("strs"),
    "action": Key("tables", spec=ACTION),
    "measure": Key("tables", spec=MEASURE),
    "extra": EXTRA,
}
THEME = {"id": Key("str", True), "title": Key("str", True), "summary": Key("str"), "extra": EXTRA}
JUDGEMENT = {"area": Key("str", True), "grade": Key("str", True), "extra": EXTRA}
LABELS = {"theme": Key("str"), "recommendation": Key("str"), "action": Key("str"), "extra": EXTRA}
RAG_SETTINGS = {
    "margin": Key("number", low=0, high=100),
    "stale_days": Key("int", low=0),
    "extra": EXTRA,
}
PLAN = {
    "format": Key("int"),
    "id": Key("str"),
    "title": Key("str", True),
    "kind": Key("str", choices=model.KINDS),
    "organisation": Key("str"),
    "owner": Key("str"),
    "version": Key("str"),
    "published": Key("date"),
    "start": Key("date"),
    "end": Key("date"),
    "review": Key("str", choices=model.REVIEW_FREQUENCIES),
    "dates": Key("str", choices=model.DATE_FORMS),
    "reported_to": Key("strs"),
    "summary": Key("str"),
    "judgements": Key("tables", spec=JUDGEMENT),
    "labels": Key("table", spec=LABELS),
    "rag": Key("table", spec=RAG_SETTINGS),
    "extra": EXTRA,
}
ROOT = {
    "plan": Key("table", True, spec=PLAN),
    "theme": Key("tables", spec=THEME),
    "recommendation": Key("tables", spec=RECOMMENDATION),
    "measure": Key("tables", spec=MEASURE),
    "extra": EXTRA,
}

_NAMES = {
    "date": "a date",
    "str": "text in quotes",
    "int": "a whole number",
    "number": "a number",
    "bool": "true or false",
    "strs": "a list of text",
    "table": "a table",
    "tables": "a list of tables",
    "dict": "a table",
}


def _show(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "a table" if isinstance(value, dict) else "a list"
    return str(value)


# kinds whose values of exactly this type need no closer look (a datetime is not a date)
_EXACT: dict[str, type] = {"str": str, "date": date, "bool": bool, "table": dict, "dict": dict}
_NUMERIC = ("int", "number")


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and -MAX_NUMBER < value < MAX_NUMBER
        )
    if kind == "number":
        return (
            (isinstance(value, int) and not isinstance(value, bool))
            or (isinstance(value, float) and math.isfinite(value))
        ) and -MAX_NUMBER < value < MAX_NUMBER
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "date":
        return isinstance(value, date) and not isinstance(value, datetime)
    if kind == "strs":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind in ("table", "dict"):
        return isinstance(value, dict)
    if kind == "tables":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    return True


def _type_message(name: str, f: Key, value: Any) -> str:
    want = _NAMES[f.kind]
    if (
        f.kind in ("int", "number")
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
        and (not isinstance(value, float) or math.isfinite(value))
        and not -MAX_NUMBER < value < MAX_NUMBER
    ):
        return (
            f'"{name}" is too large: a number here must be less than a thousand million '
            "million (15 digits), which reports and spreadsheets can show exactly"
        )
    if f.kind == "date":
        fix = suggest_date(value)
        if isinstance(value, (datetime, time)):
            return (
                f'"{name}" must be a date without a time; write {name} = {fix}'
                if fix
                else f'"{name}" must be a date such as 2017-01-31'
            )
        if fix:
            return (
                f'"{name}" must be a date, not {_show(value)}; '
                f"write it without quotes as {name} = {fix}"
            )
        return f'"{name}" must be a date, written like {name} = 2017-03-31'
    if f.kind == "int" and isinstance(value, float) and value.is_integer():
        return f'"{name}" must be a whole number; write {name} = {int(value)}'
    if f.kind == "int" and isinstance(value, str) and value.strip().rstrip("%").strip().isdigit():
        return f'"{name}" must be a whole number without quotes; write {name} = {value.strip().rstrip("%").strip()}'
    if f.kind == "number" and isinstance(value, float):
        return f'"{name}" must be a finite number, not {value}'
    if f.kind == "number" and isinstance(value, str):
        try:
            num = float(value.strip().rstrip("%"))
            return f'"{name}" must be a number without quotes; write {name} = {num:g}'
        except ValueError:
            pass
    if f.kind == "strs" and isinstance(value, str):
        return f'"{name}" must be a list of text; write {name} = [{_show(value)}]'
    if f.kind == "str" and not isinstance(value, (dict, list)):
        return f'"{name}" must be {want}; write {name} = "{_show(value)}"'
    return f'"{name}" must be {want}, not {_show(value)}'


def did_you_mean(word: str, options: Iterable[str]) -> str:
    import difflib  # only when a key or value is wrong: not on every load

    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f'; did you mean "{match[0]}"?' if match else ""


def check_table(
    data: dict[str, Any], path: KeyPath, spec: Spec, report: Report, label: str
) -> dict[str, Any] | None:
    """Check one table against its spec, recursing into sub-tables.

    Returns the table with every bad value left out (items of a list keep their
    place in the file as "__i"), or None when a required key is missing, so that
    the cross-checks can still run over what is sound and report everything at once.
    """
    clean: dict[str, Any] = {}
    for key, value in data.items():
        f = spec.get(key)
        if f is None:
            hint = did_you_mean(key, spec)
            extra = (
                "" if hint or "extra" not in spec else "; free-form data goes in an [extra] table"
            )
            allowed = "" if hint else f" (allowed here: {', '.join(sorted(spec))})"
            report.error(path + (key,), f'unknown key "{key}" in {label}{hint}{extra}{allowed}')
            continue
        kind = f.kind
        t = type(value)  # tomllib's own types are known good at a glance; the rest looked at
        if t is _EXACT.get(kind) or (
            t is int and kind in _NUMERIC and -MAX_NUMBER < value < MAX_NUMBER
        ):
            pass
        elif not _type_ok(kind, value):
            report.error(path + (key,), _type_message(key, f, value), at="value")
            continue
        if f.choices and value not in f.choices:
            hint = did_you_mean(value, f.choices) or did_you_mean(
                value.replace(" ", "-").lower(), f.choices
            )
            report.error(
                path + (key,),
                f'"{key}" must be one of {", ".join(f.choices)}, not {_show(value)}{hint}',
                at="value",
            )
            continue
        if (f.low is not None and value < f.low) or (f.high is not None and value > f.high):
            bounds = (
                f"from {f.low:g} to {f.high:g}" if f.high is not None else f"at least {f.low:g}"
            )
            report.error(path + (key,), f'"{key}" must be {bounds}, not {_show(value)}', at="value")
            continue
        if report.hidden_possible and kind in ("str", "strs", "dict"):
            _hidden(value, path + (key,), report)
        if kind == "table" and f.spec is not None:
            value = check_table(value, path + (key,), f.spec, report, key) or {}
        elif kind == "tables" and f.spec is not None:
            items = []
            singular = _singular(key)
            for i, item in enumerate(value):
                sub = check_table(item, path + (key, i), f.spec, report, singular)
                if sub is not None:
                    sub["__i"] = i
                    items.append(sub)
                else:
                    report.dropped_tables.add(key)
            value = items
        clean[key] = value
    complete = True
    for key, f in _required(spec):
        if key not in data:
            report.error(path, f'{label} is missing "{key}"; add {key} = {_example(key, f)}')
        if key not in clean:
            complete = False
    return clean if complete else None


_REQUIRED: dict[int, tuple[Spec, list[tuple[str, Key]]]] = {}


def _required(spec: Spec) -> list[tuple[str, Key]]:
    """The required keys of a spec, in its order (worked out once a spec, not once a
    table: a folder's load checks tens of thousands of tables against a few specs)."""
    kept = _REQUIRED.get(id(spec))
    if kept is None or kept[0] is not spec:
        kept = _REQUIRED[id(spec)] = (spec, [(k, f) for k, f in spec.items() if f.required])
    return kept[1]


def _hidden(value: Any, path: KeyPath, report: Report) -> None:
    """A warning for text holding a character that changes the direction text is drawn in
    or takes no space (U+202E, U+200B …): such text reads as something other than it is.
    Free-form tables are walked too, without recursion (their depth is the file's)."""
    todo: list[tuple[Any, KeyPath]] = [(value, path)]
    while todo:
        item, where = todo.pop()
        if isinstance(item, str):
            found = hidden_in(item)
            if found:
                report.warning(
                    where,
                    f"the text holds an invisible character, {found}, that can make it read "
                    "differently from what it is; delete it (improve shows it as "
                    f"⟨{found.split()[0]}⟩)",
                    at="value",
                )
        elif isinstance(item, dict):
            todo.extend((v, where + (k,)) for k, v in item.items())
        elif isinstance(item, list):
            todo.extend((v, where + (i,)) for i, v in enumerate(item))


def _singular(key: str) -> str:
    return {"readings": "reading", "judgements": "judgement", "comparators": "comparator"}.get(
        key, key
    )


def _example(key: str, f: Key) -> str:
    if f.kind == "date":
        return "2017-01-31"
    if f.kind in ("int", "number"):
        return "0"
    if f.kind == "str":
        return '"…"'
    return "…"
