"""Plan text made inert for a terminal: every control character shown, never obeyed.

Plans come from many hands. A title holding ESC ] 0 ; … BEL would retitle the terminal
window, ESC [ 2 J would clear the screen, and ESC ] 8 would open a hyperlink that never
closes. `visible` turns every C0 control but tab and newline, DEL and every C1 control
into a printable picture (ESC becomes ␛, NUL ␀, U+009B ⟨9B⟩), so the text reads as it
is and does nothing. JSON output keeps every value exact: there C1 controls and DEL are
written as \\u escapes, which JSON readers turn back into the same characters.
"""

from __future__ import annotations

# C0 (but tab and newline) → the Unicode control pictures ␀ … ␟; DEL → ␡; C1 → ⟨80⟩ …
VISIBLE: dict[int, str] = {
    **{c: chr(0x2400 + c) for c in range(0x20) if chr(c) not in "\t\n"},
    0x7F: "\u2421",
    **{c: f"⟨{c:02X}⟩" for c in range(0x80, 0xA0)},
}
# what a one-line message must not hold either: a newline would break FILE:LINE:COL: …
VISIBLE_ONE_LINE: dict[int, str] = {**VISIBLE, ord("\n"): "\u2424", ord("\t"): " "}
JSON_ESCAPES: dict[int, str] = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0))}


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
