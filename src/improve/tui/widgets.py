"""Small pieces of display shared by the screens. Plan text is always put in `Text`
objects, never in markup strings, so a title with square brackets shows as written."""

from __future__ import annotations

from rich.text import Text
from textual.css.query import NoMatches
from textual.widgets import Select
from textual.widgets.select import NoSelection

SPARKS = "▁▂▃▄▅▆▇█"


def bar(percent: float | None, width: int = 10) -> Text:
    """A progress bar with its number: colour is never the only signal."""
    if percent is None:
        return Text("–")
    filled = round(percent / 100 * width)
    return Text("█" * filled + "░" * (width - filled) + f" {percent:3.0f}%")


def sparkline(values: list[float], low: float | None = None, high: float | None = None) -> str:
    """One character per value; "" for fewer than two values. On the scale `low`..`high`
    when given (every percent on 0..100, so 0% → 3% is ▁▁, never ▁█), else from the lowest
    value to the highest (readings in their own units)."""
    if len(values) < 2:
        return ""
    if low is None or high is None:
        low, high = min(values), max(values)
        if high == low:
            return SPARKS[3] * len(values)
    scale = (len(SPARKS) - 1) / (high - low)
    return "".join(SPARKS[round((min(max(v, low), high) - low) * scale)] for v in values)


class FormSelect(Select[str]):
    """A drop-down that survives being shown or closed in the same instant.

    Textual 8.2's Select updates its label from a value watcher that can run just before
    the label is composed, or just after the form holding it was closed (a lead who opens
    the form and presses escape at once; a form reopened after a failed save while the
    app is busy): the label is not there and the watcher raises NoMatches, which ends
    the app. Here the update waits for the next refresh, or is dropped once the
    drop-down is gone.
    """

    def _watch_value(self, value: str | NoSelection) -> None:
        try:
            super()._watch_value(value)
        except NoMatches:
            if self.is_attached:
                self.call_after_refresh(self._watch_value, value)
