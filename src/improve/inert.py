"""Plan text made inert for a terminal: every control character shown, never obeyed.

Plans come from many hands. A title holding ESC ] 0 ; … BEL would retitle the terminal
window, ESC [ 2 J would clear the screen, and ESC ] 8 would open a hyperlink that never
closes. `visible` turns every C0 control but tab and newline, DEL and every C1 control
into a printable picture (ESC becomes ␛, NUL ␀, U+009B ⟨9B⟩), so the text reads as it
is and does nothing. The characters that change the direction text is drawn in (U+202E
RIGHT-TO-LEFT OVERRIDE and its kin) or take no space at all (U+200B ZERO WIDTH SPACE …)
are shown too, as ⟨U+202E⟩: they make text read differently from what it is, and
`improve check` warns of them. JSON output keeps every value exact: there C1 controls,
DEL and those characters are written as \\u escapes, which JSON readers turn back into
the same characters.
"""

from __future__ import annotations

import re

# Bidirectional embeddings, overrides and isolates, the marks, and the zero-width
# characters: invisible on screen, and able to make a line read other than it is
HIDDEN: frozenset[int] = frozenset(
    (0x061C, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065),
     *range(0x2066, 0x206A), 0xFEFF)
)  # fmt: skip
HIDDEN_NAMES = {
    0x061C: "ARABIC LETTER MARK", 0x200B: "ZERO WIDTH SPACE", 0x200C: "ZERO WIDTH NON-JOINER",
    0x200D: "ZERO WIDTH JOINER", 0x200E: "LEFT-TO-RIGHT MARK", 0x200F: "RIGHT-TO-LEFT MARK",
    0x202A: "LEFT-TO-RIGHT EMBEDDING", 0x202B: "RIGHT-TO-LEFT EMBEDDING",
    0x202C: "POP DIRECTIONAL FORMATTING", 0x202D: "LEFT-TO-RIGHT OVERRIDE",
    0x202E: "RIGHT-TO-LEFT OVERRIDE", 0x2060: "WORD JOINER", 0x2061: "FUNCTION APPLICATION",
    0x2062: "INVISIBLE TIMES", 0x2063: "INVISIBLE SEPARATOR", 0x2064: "INVISIBLE PLUS",
    0x2066: "LEFT-TO-RIGHT ISOLATE", 0x2067: "RIGHT-TO-LEFT ISOLATE",
    0x2068: "FIRST STRONG ISOLATE", 0x2069: "POP DIRECTIONAL ISOLATE",
    0xFEFF: "ZERO WIDTH NO-BREAK SPACE",
}  # fmt: skip
_HIDDEN_RE = re.compile("[" + "".join(chr(c) for c in sorted(HIDDEN)) + "]")

# C0 (but tab and newline) → the Unicode control pictures ␀ … ␟; DEL → ␡; C1 → ⟨80⟩ …;
# the hidden characters → ⟨U+202E⟩
VISIBLE: dict[int, str] = {
    **{c: chr(0x2400 + c) for c in range(0x20) if chr(c) not in "\t\n"},
    0x7F: "\u2421",
    **{c: f"⟨{c:02X}⟩" for c in range(0x80, 0xA0)},
    **{c: f"⟨U+{c:04X}⟩" for c in HIDDEN},
}
# what a one-line message must not hold either: a newline would break FILE:LINE:COL: …
VISIBLE_ONE_LINE: dict[int, str] = {**VISIBLE, ord("\n"): "\u2424", ord("\t"): " "}
JSON_ESCAPES: dict[int, str] = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0), *HIDDEN)}
# what a file meant to be opened elsewhere (Markdown, CSV) must not carry: C0 but tab and
# newline, DEL and C1, as pictures; the rest of the text is exact
NO_CONTROLS: dict[int, str] = {c: v for c, v in VISIBLE.items() if c < 0x20 or 0x7F <= c < 0xA0}


def visible(text: str) -> str:
    """`text` with every control character but tab and newline shown as a picture."""
    return text.translate(VISIBLE)


def one_line(text: str) -> str:
    """`text` as one inert line (a newline shown as ␤)."""
    return text.translate(VISIBLE_ONE_LINE)


def json_inert(encoded: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with C1 controls and DEL
    written as escapes: the same values, nothing a terminal acts on (json.dumps already
    escapes C0)."""
    return encoded.translate(JSON_ESCAPES)


def no_controls(text: str) -> str:
    """`text` with C0 (but tab and newline), DEL and C1 controls shown as pictures, a line
    ended by a carriage return ended by a newline, and nothing else changed: what Markdown
    and CSV files carry."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(NO_CONTROLS)


def hidden_in(text: str) -> str | None:
    """The first direction-changing or zero-width character in `text`, named as
    "U+202E RIGHT-TO-LEFT OVERRIDE"; None when there is none."""
    found = _HIDDEN_RE.search(text)
    if found is None:
        return None
    c = ord(found.group())
    return f"U+{c:04X} {HIDDEN_NAMES[c]}"
