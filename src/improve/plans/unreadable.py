"""What a plan file's text says when it cannot be read as TOML, or would cost too much to
read: the guards run before the parser (a key of thousands of dotted parts, lists nested
hundreds deep on a line), and the problem, at its line and column, with a hint, when the
parser gives up. Imported when a file is first parsed (loader.parse_text)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import model as m

if TYPE_CHECKING:
    import tomllib

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
MAX_KEY_PARTS = 256  # a dotted key or table header: a.b.c has three parts
MAX_NESTING = 64  # lists and inline tables opened inside one another on one line
_LONG_NUMBER = re.compile(r"[0-9_]{4000,}")


def too_costly(text: str, name: str) -> m.Problem | None:
    """A cheap look, before parsing, for what makes a parser slow or deep: a key with
    thousands of dotted parts (tomllib's time grows with the square of them), lists or
    inline tables opened hundreds deep on a line. Counting characters a line is a few per
    cent of the parse it guards; only a line with that many is looked at closely. Nesting
    spread over many lines is caught by the parser itself (RecursionError, handled as
    this file's error)."""
    if text.count(".") < MAX_KEY_PARTS and text.count("[") + text.count("{") <= MAX_NESTING:
        return None  # not that many in the whole file, so on no line of it (issue 27)
    for n, line in enumerate(text.splitlines(), 1):
        if len(line) <= MAX_NESTING:
            continue  # too short to hold either
        if line.count(".") >= MAX_KEY_PARTS and key_dots(line) >= MAX_KEY_PARTS:
            return m.Problem(
                name,
                n,
                1,
                "error",
                f"a key or table name with more than {MAX_KEY_PARTS} dotted parts; a plan "
                "never needs so many (is this file a plan?)",
            )
        if line.count("[") + line.count("{") > MAX_NESTING:
            depth = 0
            for col, ch in enumerate(line, 1):
                if ch in "[{":
                    depth += 1
                    if depth > MAX_NESTING:
                        return m.Problem(
                            name,
                            n,
                            col,
                            "error",
                            f"lists or tables nested more than {MAX_NESTING} deep; a plan "
                            "never needs so many (is this file a plan?)",
                        )
                elif ch in "]}":
                    depth -= 1
    return None


def key_dots(line: str) -> int:  # noqa: C901 - one pass of a scanner, read best whole
    """The most dots joining the parts of one key on a line: a table header's, a key's
    before its `=`, and the keys of inline tables in its value. tomllib's time grows with
    the square of a key's parts, so the guard reads the key as tomllib does rather than
    splitting at the first `=`: a quoted part may hold `=` or dots of its own
    (`"=".a.a` is a key of three parts), and dots inside strings, in numbers and times
    (`1.5`, `12:00:00.5`) are not a key's. A run of dots counts once (`...` is no key)."""
    stripped = line.lstrip()
    header = stripped.startswith("[")
    most = dots = 0
    in_key = True  # a line starts with a key or a header
    inline: list[str] = []  # the brackets and braces open in the value
    quote = ""
    prev = ""
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        i += 1
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = ""
            continue
        if ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        elif in_key:
            if ch == "." and prev != ".":
                dots += 1
            elif ch == "=" and not header:
                most, dots, in_key = max(most, dots), 0, False
            elif header and ch == "]":
                break
            elif ch == "{":
                inline.append(ch)
                most, dots = max(most, dots), 0
            elif ch in ",}":  # a line inside a multi-line array, or an inline table's end
                most, dots, in_key = max(most, dots), 0, ch == "," and inline[-1:] == ["{"]
                if ch == "}" and inline:
                    inline.pop()
        elif ch in "[{":
            inline.append(ch)
            in_key = ch == "{"
        elif ch in "]}":
            if inline:
                inline.pop()
        elif ch == "," and inline[-1:] == ["{"]:
            in_key = True
        if not ch.isspace():
            prev = ch
    return max(most, dots)


def unreadable(name: str, text: str, exc: BaseException) -> m.Problem:
    if isinstance(exc, ValueError) and "digits" in str(exc):
        found = _LONG_NUMBER.search(text)
        line, col = (1, 1)
        if found:
            line = text.count("\n", 0, found.start()) + 1
            col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        return m.Problem(
            name, line, col, "error", "a number with thousands of digits; write a real number"
        )
    if isinstance(exc, RecursionError):
        return m.Problem(
            name, 1, 1, "error", "lists or tables nested too deeply to read; is this file a plan?"
        )
    return m.Problem(name, 1, 1, "error", f"the file cannot be read as a plan: {exc}")


def syntax_problem(name: str, text: str, exc: tomllib.TOMLDecodeError) -> m.Problem:
    msg = str(exc)
    match = _TOML_POS.search(msg)
    if match:
        line, col = int(match.group(1)), int(match.group(2))
    elif "end of document" in msg:
        line, col = _unclosed(text)
    else:
        line, col = 1, 1
    reason = _TOML_POS.sub("", msg).replace("(at end of document)", "at the end of the file")
    reason = reason.strip().rstrip(".")
    lines = text.splitlines()
    hint = ""
    if 0 < line <= len(lines):
        src = lines[line - 1]
        hint = _syntax_hint(src)
    return m.Problem(name, line, col, "error", f"this is not valid TOML: {reason}{hint}")


def _unclosed(text: str) -> tuple[int, int]:
    """Where a string that never closes probably starts: the last line that opens one
    (tomllib only says "at end of document")."""
    lines = text.splitlines()
    for n in range(len(lines) - 1, -1, -1):
        match = re.match(r"""^\s*[^=#]+=\s*(["'])""", lines[n])
        if match:
            return n + 1, match.start(1) + 1
    return max(len(lines), 1), 1


def _syntax_hint(src: str) -> str:
    from .dates import suggest_date

    key, sep, value = src.partition("=")
    value = value.split("#")[0].strip()
    if not sep or not value or value[0] in "\"'[{":
        return ""
    if value.lower() in ("true", "false") or value.lower() in ("yes", "no"):
        word = "true" if value.lower() in ("true", "yes") else "false"
        return f"; true and false are written in lower case: {key.strip()} = {word}"
    if re.match(r"^[-+]?[0-9.]+\s*%$", value):
        return f"; numbers are written without %: {key.strip()} = {value.rstrip('%').strip()}"
    if re.match(r"^\d{4}-\d{1,2}-\d{1,2}$", value):
        return f"; {value} is not a real date: check the month and the day"
    fix = suggest_date(value)
    if fix:
        return f"; dates are written without quotes as {key.strip()} = {fix}"
    if not re.match(r"^[-+]?[0-9]", value) and value not in ("true", "false"):
        return f'; text needs quotes: {key.strip()} = "{value}"'
    return ""
