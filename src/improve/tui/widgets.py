"""Small pieces of display shared by the screens. Plan text is always put in `Text`
objects, never in markup strings, so a title with square brackets shows as written."""

from __future__ import annotations

from rich.text import Text

SPARKS = "▁▂▃▄▅▆▇█"


def bar(percent: float | None, width: int = 10) -> Text:
    """A progress bar with its number: colour is never the only signal."""
    if percent is None:
        return Text("–")
    filled = round(percent / 100 * width)
    return Text("█" * filled + "░" * (width - filled) + f" {percent:3.0f}%")


def sparkline(values: list[float]) -> str:
    """One character per value, lowest to highest; "" for fewer than two values."""
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return SPARKS[3] * len(values)
    scale = (len(SPARKS) - 1) / (high - low)
    return "".join(SPARKS[round((v - low) * scale)] for v in values)
