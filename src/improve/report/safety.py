"""Plan text is untrusted: what may become a link, and what a spreadsheet may not read as
a formula."""

from __future__ import annotations

import os
import re
from pathlib import Path

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
SAFE_SCHEMES = ("http", "https", "mailto")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_link(
    link: str | None, plan_file: Path, plans_root: Path, out_dir: Path | None
) -> str | None:
    """The href for an evidence link, or None when it must be shown as text only.

    `http(s):` and `mailto:` links are kept. A relative path is kept only if, taken from
    the plan file's folder, it stays inside the plans folder; it is then rewritten to be
    relative to the folder the report is written to. Anything else (`javascript:`,
    `data:`, `file:`, an absolute path, a path that climbs out) is text.
    """
    if not link or any(ord(c) < 32 or ord(c) == 127 for c in link):
        return None
    link = link.strip()
    scheme = _SCHEME.match(link)
    if scheme:
        name = scheme.group(1).lower()
        if name in SAFE_SCHEMES and (name == "mailto" or link.lower().startswith(f"{name}://")):
            return link
        return None
    if link.startswith(("/", "\\")) or "\\" in link or link.startswith("//"):
        return None
    root = Path(os.path.realpath(plans_root))
    target = Path(os.path.normpath(Path(os.path.realpath(plan_file)).parent / link))
    try:
        target.relative_to(root)
    except ValueError:
        return None
    if out_dir is None:
        return link
    rel = os.path.relpath(target, os.path.realpath(out_dir))
    return Path(rel).as_posix()


def neutralise(text: str) -> str:
    """Text a spreadsheet will never run as a formula: one that starts like a formula is
    given a leading apostrophe, as spreadsheet programs themselves do for typed text."""
    return "'" + text if text.startswith(FORMULA_START) else text
