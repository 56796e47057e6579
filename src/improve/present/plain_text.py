"""Lines of Rich `Text` written as Rich's console prints them where no style is shown (a
pipe, a file), without the console: the review briefing of 20,000 actions is a few hundred
lines of text, and Rich's console took 70 ms to lay them out and 15 ms to import.

Each Text is cut into lines at its line ends, each line word-wrapped to the width by
Rich's own `divide_line` (a word longer than a line folded), a line wider than the width
cut to it, and the spaces that end a line dropped (as the command line's console drops
them: present.tables.make_console). Anything else Rich would do differently (a tab, a
justification, an overflow or an end of its own) is not written here: None, and the
caller prints through Rich. tests/test_review_speed.py holds it to Rich's console.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich._wrap import divide_line
from rich.cells import cell_len, set_cell_size
from rich.text import Text


def written(parts: Iterable[object], width: int) -> str | None:
    """What Rich's console prints of `parts` (each a Text) at `width` columns, unstyled;
    None when a part is anything Rich may lay out otherwise."""
    if width < 1:
        return None
    out: list[str] = []
    for part in parts:
        if type(part) is not Text or not _plain(part):
            return None
        for line in part.plain.split("\n"):
            if cell_len(line) <= width:  # the whole line fits: no break to look for
                out.append(line.rstrip(" "))
                continue
            ends = [*divide_line(line, width, fold=True), len(line)]
            start = 0
            for end in ends:
                piece = line[start:end]
                if cell_len(piece) > width:
                    piece = set_cell_size(piece, width)
                out.append(piece.rstrip(" "))
                start = end
    return "".join(f"{line}\n" for line in out)


def _plain(text: Text) -> bool:
    """Laid out as Rich lays out text by default: no justification, overflow, wrapping or
    end of its own, and no tab (which Rich expands)."""
    return (
        text.justify is None
        and text.overflow is None
        and text.no_wrap is None
        and text.end == "\n"
        and text.tab_size is None
        and "\t" not in text.plain
    )
