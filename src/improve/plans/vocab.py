"""The plan format's words: the values a key may take, and what a plan id may be.

Kept apart from `model` (whose dataclasses cost tens of milliseconds to define) so that
the command line can offer these as choices without loading the model: `improve --help`
stays quick.
"""

from __future__ import annotations

import re
from functools import lru_cache

KINDS = ("ofsted", "scrutiny", "partnership", "send", "internal", "other")
STATUSES = ("not-started", "in-progress", "complete", "dropped")
IMPACTS = ("yes", "partly", "no", "too-early", "n/a")
OVERRIDE_COLOURS = ("red", "amber", "green")
RAGS = ("red", "amber", "green", "grey", "blue")  # worst first
REVIEW_FREQUENCIES = ("monthly", "quarterly", "six-monthly", "annual")
DIRECTIONS = ("up", "down")

# A plan id is typed as PLAN:REF and is a file name: ASCII letters and digits, then
# also ".", "_" and "-" (so no hidden files, no ":" and nothing a shell must quote).
_PLAN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
PLAN_ID_RULE = 'a plan id may use only the letters a–z and A–Z, the digits 0–9, ".", "_" and "-", and starts with a letter or digit'


_REF_PARTS = re.compile(r"(\d+)")


@lru_cache(maxsize=65536)
def ref_key(ref: str) -> tuple[tuple[int, int, str], ...]:
    """Refs in the order a person counts them: 1, 2, 10a, 11 (not 1, 10a, 11, 2).
    Remembered: "what changed" sorts the same 20,000 refs in many lists."""
    return tuple(
        (0, int(part), "") if part.isdigit() and part.isascii() else (1, 0, part.casefold())
        for part in _REF_PARTS.split(ref)
        if part
    )


def is_plan_id(text: str) -> bool:
    return _PLAN_ID.fullmatch(text) is not None
