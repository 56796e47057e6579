"""The roll-up: how many actions of each colour, complete, overdue and stale, and the
weighted percent complete. One loop, used by the rules (`rules.rollup`) and by a day's
memo of them (`memo`), so the two can never count differently. Imports nothing heavy:
a run answered from the memo does not load the model or the rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..plans.vocab import RAGS

# one action, as the roll-up sees it: (dropped, rag, complete, overdue, stale, weight,
# percent)
Counted = tuple[bool, str | None, bool, bool, bool, float, int]


@dataclass(slots=True)
class Rollup:
    percent: float | None
    rag: str | None
    counts: dict[str, int]
    total: int  # non-dropped actions
    complete: int
    overdue: int
    stale: int
    dropped: int

    def summary(self) -> str:
        return f"{self.complete} of {self.total} actions complete"


def tally(actions: Iterable[Counted]) -> Rollup:
    counts = {c: 0 for c in RAGS}
    weight_sum = 0.0
    weighted = 0.0
    total = complete = overdue = stale = dropped = 0
    for is_dropped, rag, is_complete, is_overdue, is_stale, weight, percent in actions:
        if is_dropped:
            dropped += 1
            continue
        total += 1
        assert rag is not None  # only a dropped action has no colour
        counts[rag] += 1
        complete += is_complete
        overdue += is_overdue
        stale += is_stale
        weight_sum += weight
        weighted += weight * percent
    percent_done = weighted / weight_sum if weight_sum > 0 else None
    rag_now = next((c for c in RAGS if counts[c]), None)
    return Rollup(percent_done, rag_now, counts, total, complete, overdue, stale, dropped)
