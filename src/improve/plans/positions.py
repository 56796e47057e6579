"""Where things are in a TOML text.

`tomllib` is fast but gives no positions, so this small scanner runs only when a
position is needed: to point an error message at `FILE:LINE:COL`, and to find the
exact span of text an edit must replace or insert after.  It assumes the text is
valid TOML (callers parse with `tomllib` first) and records, for every key path
(`("recommendation", 0, "action", 2, "percent")`), where its key and value are.

Paths use the same shape as the data `tomllib` returns: table keys are strings,
elements of arrays (including arrays of tables) are integer indexes.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from .model import Problem
    from .schema import Report

KeyPath: TypeAlias = tuple[str | int, ...]  # a key's place in the data, not a file path

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_BARE_HEADER = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*(?=\])")
_BASIC_STRING = re.compile(r'"([^"\\]*(?:\\[\s\S][^"\\]*)*)"')  # a "…" string, escapes kept
# a whole line `key = "text"` or `key = 12` (no escapes, arrays, tables or times): with
# `only`, such a line at a path no one asked for is stepped over in one match
_SIMPLE_LINE = re.compile(
    r"""([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:"[^"\\\n]*"(?!")|[^\s,\]\}#\[\{"']+)[ \t]*(?:#[^\n]*)?(?=\n|\Z)"""
)
_GAP = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")  # blanks, newlines and comments
# a whole line `key = [...]` or `key = {...}` whose value ends on it: strings without
# escapes, no literal strings, no comment but at its end (the brackets counted after)
_ONE_LINE = re.compile(
    r"""([A-Za-z0-9_-]+)[ \t]*=[ \t]*([\[{](?:"[^"\\\n]*"|[^"'\n#\\])*?)[ \t]*(?:#[^\n]*)?(?=\n|\Z)"""
)
_STRING = re.compile(r'"[^"]*"')
_SCALAR = re.compile(r"[^\s,\]\}#]+")
_DATE_THEN_TIME = re.compile(r"\d{4}-\d{2}-\d{2}$")
_TIME_AFTER_SPACE = re.compile(r" \d{2}:\d{2}")


@dataclass(slots=True)
class Span:
    """Offsets into the text (start inclusive, end exclusive)."""

    key_start: int = -1  # where the key (or table header) starts
    value_start: int = -1  # where the value starts
    value_end: int = -1  # just after the value
    header: bool = False  # defined by a [table] / [[table]] header
    own_end: int = -1  # header tables: end of the last key line of their own body
    close: int = -1  # arrays: offset of the closing bracket
    multiline: bool = False  # arrays: spans more than one line
    indent: str = ""  # the whitespace before the key / header on its line
    children: list[KeyPath] = field(default_factory=list)  # arrays: element paths in order


class ScanError(Exception):
    pass


class Positions:
    """Key and value spans of a TOML document, by path.

    `only`: the paths whose places are wanted (to point at problems); spans are kept for
    them and their ancestors alone, and the scan stops once each of them is found, so a
    large file costs what its problems need (issue 27). `locate` answers for those paths
    exactly as a full scan would; the other lookups need the full scan."""

    def __init__(self, text: str, only: Iterable[KeyPath] | None = None):
        self.text = text
        self.spans: dict[KeyPath, Span] = {}
        # every line's start, for a full scan; with `only`, lines are counted from the
        # nearest place already counted (_marks: offsets and their lines), a few lookups
        self._line_starts: array[int] | None = None
        self._marks: tuple[list[int], list[int]] = ([0], [0])
        if only is None:
            self._line_starts = array("q", [0])
            self._line_starts.extend(m.end() for m in re.finditer(r"\n", text))
        self._headers: list[tuple[int, KeyPath]] = []  # (offset, path) of every table header
        scanner = _Scanner(self)
        if only is not None:
            wanted = {tuple(p) for p in only}
            scanner.keep = {p[:n] for p in wanted for n in range(len(p) + 1)}
            scanner.remaining = wanted
        try:
            scanner.run()
        except (ScanError, IndexError):
            pass  # positions are best effort; what was found so far is kept

    # -- lookups -----------------------------------------------------------
    def line_col(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            return self._counted(offset)
        line = bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def _counted(self, offset: int) -> tuple[int, int]:
        offsets, lines = self._marks
        k = bisect_right(offsets, offset) - 1
        line = lines[k] + self.text.count("\n", offsets[k], offset)
        offsets.insert(k + 1, offset)
        lines.insert(k + 1, line)
        return line + 1, offset - self.line_start(offset) + 1

    def find(self, path: KeyPath) -> tuple[KeyPath, Span] | None:
        """The span of `path`, or of its nearest recorded ancestor."""
        path = tuple(path)
        while path:
            span = self.spans.get(path)
            if span is not None:
                return path, span
            path = path[:-1]
        return None

    def locate(self, path: KeyPath, at: str = "key") -> tuple[int, int]:
        """(line, col) for a problem at `path`; `at` is "key" or "value"."""
        found = self.find(path)
        if found is None:
            return 1, 1
        _, span = found
        offset = span.value_start if at == "value" and span.value_start >= 0 else span.key_start
        return self.line_col(max(offset, 0))

    def table_end(self, path: KeyPath) -> int:
        """End of the last line that belongs to the header table at `path`,
        sub-tables included (comments and blank lines before the next foreign
        header are left to that header)."""
        span = self.spans[tuple(path)]
        n = len(path)
        last = span.own_end
        for offset, hpath in self._headers:
            if offset <= span.key_start:
                continue
            if hpath[:n] != tuple(path):
                break
            sub = self.spans[hpath]
            last = max(last, sub.own_end)
        return last

    def line_start(self, offset: int) -> int:
        if self._line_starts is None:
            return self.text.rfind("\n", 0, offset) + 1
        return self._line_starts[bisect_right(self._line_starts, offset) - 1]


def _closed(value: str) -> bool:
    """Whether a value of one line (strings without escapes) closes every bracket and
    brace it opens there: not the first line of a list that goes on."""
    bare = _STRING.sub("", value)
    return bare.count("[") + bare.count("{") == bare.count("]") + bare.count("}")


class _Scanner:
    def __init__(self, pos: Positions):
        self.p = pos
        self.t = pos.text
        self.i = 0
        self.n = len(self.t)
        self.aot_count: dict[KeyPath, int] = {}
        self.current: KeyPath = ()
        self.current_span: Span | None = None
        self.keep: set[KeyPath] | None = None  # None: every span is kept
        self.remaining: set[KeyPath] = set()  # wanted paths not found yet (with `keep`)
        self.scratch = Span()

    def span(self, path: KeyPath, key_start: int = -1, header: bool = False) -> Span:
        """The span recorded for `path` (made now if new); a span of its own, not kept,
        for a path no one asked for."""
        if self.keep is not None and path not in self.keep:
            return self.scratch  # written to, never read
        span = self.p.spans.get(path)
        if span is None:
            span = self.p.spans[path] = Span(key_start=key_start, header=header)
        return span

    def found(self, path: KeyPath) -> None:
        self.remaining.discard(path)

    # -- low-level ---------------------------------------------------------
    def skip_ws(self) -> None:
        while self.i < self.n and self.t[self.i] in " \t":
            self.i += 1

    def skip_ws_comments_newlines(self) -> None:
        self.i = _GAP.match(self.t, self.i).end()  # type: ignore[union-attr]  # matches ""

    def skip_comment(self) -> None:
        while self.i < self.n and self.t[self.i] != "\n":
            self.i += 1

    def indent_at(self, offset: int) -> str:
        start = self.p.line_start(offset)
        return self.t[start:offset]

    def key(self) -> list[str]:
        parts = []
        while True:
            self.skip_ws()
            c = self.t[self.i]
            if c == '"':
                parts.append(self.basic_string())
            elif c == "'":
                end = self.t.index("'", self.i + 1)
                parts.append(self.t[self.i + 1 : end])
                self.i = end + 1
            else:
                m = _BARE.match(self.t, self.i)
                if not m:
                    raise ScanError(self.i)
                parts.append(m.group())
                self.i = m.end()
            self.skip_ws()
            if self.i < self.n and self.t[self.i] == ".":
                self.i += 1
                continue
            return parts

    def basic_string(self) -> str:
        m = _BASIC_STRING.match(self.t, self.i)
        if not m:
            raise ScanError(self.i)
        self.i = m.end()
        raw = m.group(1)
        if "\\" in raw:
            import tomllib

            try:
                value: str = tomllib.loads(f'k = "{raw}"')["k"]
                return value
            except tomllib.TOMLDecodeError:
                return raw
        return raw

    def resolve(self, parts: list[str], base: KeyPath) -> KeyPath:
        """Walk key parts from `base`, stepping into the last element of arrays of tables."""
        path = base
        for part in parts:
            path = path + (part,)
            count = self.aot_count.get(path)
            if count:
                path = path + (count - 1,)
        return path

    # -- values ------------------------------------------------------------
    def value(self, path: KeyPath) -> Span:
        span = self.span(path)
        span.value_start = self.i
        c = self.t[self.i]
        if self.t.startswith('"""', self.i):
            j = self.i + 3
            while not self.t.startswith('"""', j):
                j += 2 if self.t[j] == "\\" else 1
            while self.t.startswith('"', j + 3):  # up to two quotes may end the string
                j += 1
            self.i = j + 3
        elif self.t.startswith("'''", self.i):
            self.i = self.t.index("'''", self.i + 3)
            while self.t.startswith("'", self.i + 3):
                self.i += 1
            self.i += 3
        elif c == '"':
            self.basic_string()
        elif c == "'":
            self.i = self.t.index("'", self.i + 1) + 1
        elif c == "[":
            self.array(path, span)
        elif c == "{":
            self.inline_table(path)
        else:
            m = _SCALAR.match(self.t, self.i)
            if not m:
                raise ScanError(self.i)
            self.i = m.end()
            if _DATE_THEN_TIME.match(m.group()) and _TIME_AFTER_SPACE.match(self.t, self.i):
                time = _SCALAR.match(self.t, self.i + 1)
                assert time is not None  # _TIME_AFTER_SPACE just matched digits there
                self.i = time.end()
        span.value_end = self.i
        return span

    def array(self, path: KeyPath, span: Span) -> None:
        start = self.i
        self.i += 1
        index = 0
        while True:
            self.skip_ws_comments_newlines()
            if self.t[self.i] == "]":
                break
            child = path + (index,)
            elem = self.value(child)
            elem.key_start = elem.value_start
            if self.keep is None or child in self.keep:
                elem.indent = self.indent_at(elem.value_start)
                span.children.append(child)
            self.found(child)
            index += 1
            self.skip_ws_comments_newlines()
            if self.t[self.i] == ",":
                self.i += 1
        span.close = self.i
        if span is not self.scratch:
            span.multiline = "\n" in self.t[start : self.i]
        self.i += 1

    def inline_table(self, path: KeyPath) -> None:
        self.i += 1
        while True:
            self.skip_ws()
            if self.t[self.i] == "}":
                self.i += 1
                return
            key_start = self.i
            parts = self.key()
            self.expect("=")
            self.skip_ws()
            child = path + tuple(parts)
            sub = self.value(child)
            sub.key_start = key_start
            self.found(child)
            self.skip_ws()
            if self.t[self.i] == ",":
                self.i += 1

    def expect(self, ch: str) -> None:
        self.skip_ws()
        if self.t[self.i] != ch:
            raise ScanError(self.i)
        self.i += 1

    # -- document ----------------------------------------------------------
    def run(self) -> None:
        root = self.p.spans.setdefault((), Span(key_start=0, header=True))
        self.current_span = root
        self.remaining.discard(())
        keep = self.keep
        while True:
            if self.keep is not None and not self.remaining:
                return  # every path asked for is found: no later line can move one
            self.skip_ws_comments_newlines()
            if self.i >= self.n:
                return
            if keep is not None:
                m = _SIMPLE_LINE.match(self.t, self.i)
                if m and self.current + (m.group(1),) not in keep:
                    self.i = m.end()
                    continue
                m = _ONE_LINE.match(self.t, self.i)
                if m and self.current + (m.group(1),) not in keep and _closed(m.group(2)):
                    self.i = m.end()
                    continue
            if self.t[self.i] == "[":
                self.header()
            else:
                self.key_value()

    def header(self) -> None:
        start = self.i
        is_aot = self.t.startswith("[[", self.i)
        self.i += 2 if is_aot else 1
        bare = _BARE_HEADER.match(self.t, self.i)  # [a.b]: as key() reads it, in one match
        if bare:
            parts = bare.group().split(".")
            self.i = bare.end()
        else:
            parts = self.key()
        self.i += 2 if is_aot else 1
        if is_aot:
            parent = self.resolve(parts[:-1], ())
            name = parent + (parts[-1],)
            count = self.aot_count.get(name, 0)
            self.aot_count[name] = count + 1
            path = name + (count,)
            arr = self.span(name, key_start=start, header=True)
            if arr is not self.scratch:
                arr.children.append(path)
        else:
            path = self.resolve(parts, ())
        for n in range(1, len(path)):  # tables made implicitly by this header start here
            if isinstance(path[n - 1], str):
                self.span(path[:n], key_start=start)
        span = self.span(path)
        span.header = True
        self.placed(span, path, start)
        span.own_end = self.i
        self.current = path
        self.current_span = span
        self.p._headers.append((start, path))

    def placed(self, span: Span, path: KeyPath, start: int) -> None:
        """A key's or a header's place (it starts at `start`) noted, and the rest of its
        line stepped over (blanks, a comment)."""
        span.key_start = start
        if self.keep is None or path in self.keep:
            span.indent = self.indent_at(start)
        self.found(path)
        self.skip_ws()
        if self.i < self.n and self.t[self.i] == "#":
            self.skip_comment()

    def key_value(self) -> None:
        key_start = self.i
        parts = self.key()
        self.expect("=")
        self.skip_ws()
        path = self.current + tuple(parts)
        span = self.value(path)
        self.placed(span, path, key_start)
        assert self.current_span is not None  # run() sets it before any key
        self.current_span.own_end = self.i


def locate_problems(report: Report, text: str, name: str) -> list[Problem]:
    """The problems of a file's checks (`report`), each at its FILE:LINE:COL, in the
    file's order; the text is scanned only as far as the places of these problems."""
    from .model import Problem
    from .schema import TooManyErrors

    if not report.issues and not report.duplicates:
        return []
    wanted = [issue.path for issue in report.issues]
    wanted += [path for paths, _ in report.duplicates for path in paths]
    positions = Positions(text, only=wanted)  # only where the problems are (issue 27)
    try:
        for paths, message in report.duplicates:
            ordered = sorted(paths, key=lambda p: positions.locate(p, "value"))
            for path in ordered[1:]:
                report.error(path, message, at="value")
    except TooManyErrors:
        pass  # the last issue says the checks stopped
    out = []
    for issue in report.issues:
        line, col = positions.locate(issue.path, issue.at)
        out.append(Problem(name, line, col, issue.severity, issue.message))
    out.sort(key=lambda p: (p.line, p.col))
    if report.more_warnings:
        out.append(
            Problem(
                name, out[-1].line, 1, "warning",
                f"and {report.more_warnings} more warnings like those above, not shown",
            )
        )  # fmt: skip
    return out
