"""What the two CSV readers share: opening a file as UTF-8 (a BOM or none, any line
ending), finding columns by their header name, matching a council by its name or code,
and every failure as `FILE:LINE:COL: what is wrong and how to fix it`."""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from ..errors import SourceError

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_CODE = re.compile(r"(?:[EWSN]\d{8}|\d{3})", re.IGNORECASE)


def norm_name(name: str) -> str:
    """A council's name as compared: case, "&"/"and", punctuation, spaces and control
    characters do not count ("Telford & Wrekin" is "telford and wrekin")."""
    return " ".join(_NOT_WORD.sub(" ", name.casefold().replace("&", " and ")).split())


def is_code(text: str) -> bool:
    """A local authority code: a new one (E06000020) or an old three-digit one (894)."""
    return _CODE.fullmatch(text.strip()) is not None


def shown(text: str, limit: int = 40) -> str:
    """A cell quoted in a message: one line, at most `limit` characters."""
    one = " ".join(str(text).split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


def fail(
    path: Path, line: int, col: int, message: str, code: str = "source", **values: Any
) -> SourceError:
    """The error for a place in a file: FILE:LINE:COL: MESSAGE."""
    return SourceError(f"{path.name}:{line}:{col}: {message}", code=code, **values)


def bad_byte(path: Path) -> tuple[int, int]:
    """(line, column) of the first byte of `path` that is not UTF-8: the text layer
    decodes ahead of the rows, so its error does not say where (only read on failure)."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    line, col = 1, 1
    try:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 16):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    before = chunk[: max(exc.start, 0)]
                    if b"\n" in before:
                        return line + before.count(b"\n"), len(before) - before.rfind(b"\n")
                    return line, col + len(before)
                line += chunk.count(b"\n")
                col = len(chunk) - chunk.rfind(b"\n") if b"\n" in chunk else col + len(chunk)
    except OSError:
        pass
    return line, col


class Rows:
    """The rows of a CSV file after its header, read one at a time, with the line each
    came from (`line`). Iterate it inside `with`; `column(name)` is a header's index."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what  # "an Explore Education Statistics data file", …
        self._file: TextIO | None = None
        self._csv: Any = None  # the csv module's reader (its type is private)
        self.header: list[str] = []
        self._index: dict[str, int] = {}

    def __enter__(self) -> Rows:
        try:
            self._file = open(self.path, encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise SourceError(
                f"{self.path.name}: cannot be read ({exc.strerror or exc}); check the name",
                code="source-unreadable",
            ) from None
        self._csv = csv.reader(self._file)
        first = self._next()
        if first is None:
            raise fail(self.path, 1, 1, f"the file is empty; {self.what} starts with a header row")
        self.header = [h.strip() for h in first]
        for k, name in enumerate(self.header):
            self._index.setdefault(name.casefold(), k)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()

    @property
    def line(self) -> int:
        """The line of the file the last row read ended on."""
        return self._csv.line_num if self._csv is not None else 1

    def _error(self, exc: Exception) -> SourceError:
        if isinstance(exc, UnicodeDecodeError):
            line, col = bad_byte(self.path)
            return fail(
                self.path, line, col,
                f"the file is not UTF-8 text (byte 0x{exc.object[exc.start]:02x}); save it as "
                "CSV UTF-8 and try again", code="source-encoding",
            )  # fmt: skip
        return fail(
            self.path, max(self.line, 1), 1,
            f"the file cannot be read as CSV ({exc}); save it again as CSV", code="source-csv",
        )  # fmt: skip

    def _next(self) -> list[str] | None:
        assert self._csv is not None
        try:
            row: list[str] = next(self._csv)
            return row
        except StopIteration:
            return None
        except (UnicodeDecodeError, csv.Error) as exc:
            raise self._error(exc) from None

    def __iter__(self) -> Iterator[list[str]]:
        """Each row after the header, at csv's own pace (`line` says where it ended)."""
        assert self._csv is not None
        try:
            yield from self._csv
        except (UnicodeDecodeError, csv.Error) as exc:
            raise self._error(exc) from None

    def column(self, name: str) -> int | None:
        return self._index.get(name.strip().casefold())

    def need(self, names: Iterable[str], role: str = "a column") -> list[int]:
        """The indexes of these columns, or the error naming the first one missing, the
        columns the file has and the nearest header name."""
        found = []
        for name in names:
            k = self.column(name)
            if k is None:
                near = difflib.get_close_matches(name, self.header, n=1, cutoff=0.6)
                have = ", ".join(shown(h, 30) for h in self.header[:12])
                more = " …" if len(self.header) > 12 else ""
                raise fail(
                    self.path, 1, 1,
                    f'no column "{shown(name)}" ({role}) in the header'
                    + (f'; did you mean "{shown(near[0])}"' if near else "")
                    + f"; the file's columns: {have}{more} ({self.what} names its columns in its "
                    "first row)",
                    code="source-column", column=name,
                )  # fmt: skip
            found.append(k)
        return found

    def cell(self, row: list[str], k: int) -> str:
        """The cell at column `k`, or this row's error if the row is short of it."""
        if k < len(row):
            return row[k]
        raise fail(
            self.path, self.line, len(row) + 1,
            f"the row has {len(row)} cells and the header {len(self.header)}; "
            f'the "{shown(self.header[k])}" cell is missing', code="source-short-row",
        )  # fmt: skip
