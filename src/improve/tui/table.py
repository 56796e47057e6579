"""A table that draws only the lines on screen (Textual's Line API).

Textual's DataTable measures every cell of every row it is given, each time it is given
them, and renders each visible cell on its own; at 20,000 actions a filter key spent most
of its time there. Here a key press that changes the rows costs nothing per row, and
drawing costs one `Text` per visible line.

Its API is small: `set_columns`, `set_rows` (key, cells), the `keys` and `cells` shown,
`cursor_row`, `move_cursor`, `selected_key`, and the `RowSelected` / `RowHighlighted`
messages carrying the row's `key`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


class LineTable(ScrollView, can_focus=True):
    """Rows of (key, cells), a fixed header line, a row cursor."""

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]
    DEFAULT_CSS = """
    LineTable { height: 1fr; }
    LineTable > .linetable--header { text-style: bold; background: $panel; }
    LineTable > .linetable--cursor { background: $block-cursor-background; color: auto; text-style: bold; }
    LineTable:blur > .linetable--cursor { background: $block-cursor-blurred-background; }
    """
    COMPONENT_CLASSES = {"linetable--header", "linetable--cursor"}
    cursor_row: reactive[int] = reactive(0, always_update=True)

    class RowSelected(Message):
        def __init__(self, table: LineTable, key: str) -> None:
            super().__init__()
            self.table, self.key = table, key

    class RowHighlighted(Message):
        def __init__(self, table: LineTable, key: str | None) -> None:
            super().__init__()
            self.table, self.key = table, key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: list[tuple[str, int]] = []
        self.keys: list[str] = []
        self.cells: list[Sequence[object]] = []  # each a Text, or shown as str() shows it
        self._lines: dict[tuple[int, bool], Strip] = {}  # (row, on the cursor) → its line
        self._looks: dict[tuple[str, bool, bool | None], tuple[Style, Style, Style]] = {}

    # -- data ------------------------------------------------------------------------
    def set_columns(self, columns: list[tuple[str, int]]) -> None:
        self.columns = list(columns)
        self._changed()

    def set_rows(self, rows: Sequence[tuple[str, Sequence[object]]], cursor: int = 0) -> None:
        self.keys = [key for key, _ in rows]
        self.cells = [cells for _, cells in rows]
        self._changed()
        self.move_cursor(row=cursor)

    def _changed(self) -> None:
        self._lines.clear()
        width = sum(w + 2 for _, w in self.columns)
        self.virtual_size = Size(width, len(self.keys) + 1)
        self.refresh()

    def selected_key(self) -> str | None:
        return self.keys[self.cursor_row] if self.keys else None

    # -- cursor ----------------------------------------------------------------------
    def move_cursor(self, *, row: int, scroll: bool = True) -> None:
        if not self.keys:
            self.cursor_row = 0
            return
        self.cursor_row = max(0, min(row, len(self.keys) - 1))
        if scroll:
            self._scroll_to_cursor()

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._lines.pop((old, True), None)
        self._lines.pop((old, False), None)
        self._lines.pop((new, True), None)
        self._lines.pop((new, False), None)
        self.refresh()
        self.post_message(self.RowHighlighted(self, self.selected_key()))

    def _scroll_to_cursor(self) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    def action_cursor(self, step: int) -> None:
        self.move_cursor(row=self.cursor_row + step)

    def action_page(self, step: int) -> None:
        page = max(1, self.scrollable_content_region.height - 2)
        self.move_cursor(row=self.cursor_row + step * page)

    def action_jump(self, where: int) -> None:
        """Home: the first row, and back to the first column after → scrolled right;
        End: the last row."""
        self.move_cursor(row=0 if where == 0 else len(self.keys) - 1)
        if where == 0:
            self.scroll_to(x=0, animate=False)

    def action_select(self) -> None:
        if self.keys:
            self.post_message(self.RowSelected(self, self.keys[self.cursor_row]))

    def on_click(self, event: Click) -> None:
        row = int(self.scroll_y) + event.y - 1
        if event.y < 1 or not 0 <= row < len(self.keys):
            return
        if row == self.cursor_row:  # a click on the chosen row opens it, as in DataTable
            self.action_select()
        else:
            self.move_cursor(row=row, scroll=False)

    # -- drawing ---------------------------------------------------------------------
    def _line_text(self, cells: Sequence[object], header: bool = False) -> Text:
        line = Text(" ")
        for cell, (_, width) in zip(cells, self.columns, strict=False):
            text = cell if isinstance(cell, Text) else Text(str(cell))
            text = text.copy()
            text.truncate(width, overflow="ellipsis", pad=True)
            line.append_text(text)
            line.append("  ")
        return line

    def _styles(self) -> tuple[Style, Style, Style]:
        """(the table's style, the cursor row's, the header's): worked out once per theme
        and focus, not for every line drawn (each walks the DOM: a third of a redraw)."""
        key = (self.app.theme, self.has_focus, self.app.ansi_color)
        looks = self._looks.get(key)
        if looks is None:
            base = self.rich_style
            looks = (
                base,
                base + self.get_component_rich_style("linetable--cursor"),
                self.get_component_rich_style("linetable--header"),
            )
            self._looks[key] = looks
        return looks

    def notify_style_update(self) -> None:
        self._looks.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x = int(self.scroll_x)
        base, cursor, header_style = self._styles()
        if y == 0:
            header = self._strip(
                self._line_text([label for label, _ in self.columns]), header_style
            )
            return header.crop(scroll_x, scroll_x + width).extend_cell_length(width, header_style)
        row = int(self.scroll_y) + y - 1
        if not 0 <= row < len(self.keys):
            return Strip.blank(width, base)
        on_cursor = row == self.cursor_row
        strip = self._lines.get((row, on_cursor))
        if strip is None:
            style = cursor if on_cursor else base
            strip = self._strip(self._line_text(self.cells[row]), style, plain=on_cursor)
            self._lines[(row, on_cursor)] = strip
        fill = cursor if on_cursor else base
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width, fill)

    def _strip(self, text: Text, base: Style, plain: bool = False) -> Strip:
        """One line, drawn. (Not `_render`: Textual's own `Widget._render()`, which
        selecting text calls, would be replaced.) `plain`: the cursor row, in the cursor's colours (a red word on the cursor's blue
        would be hard to read; the word itself still says RED)."""
        segments = []
        for seg in text.render(self.app.console):
            if seg.text == "\n":
                continue
            style = seg.style
            if style and plain:
                style = Style(bold=style.bold, italic=style.italic)
            segments.append(Segment(seg.text, base + style if style else base))
        return Strip(segments)
