"""Who is making a change: IMPROVE_USER, then git's user.name, then the login name."""

from __future__ import annotations

import getpass
import os
import subprocess
from collections.abc import Mapping


def who_am_i(env: Mapping[str, str] | None = None) -> str | None:
    if env is None:
        env = os.environ
    name = env.get("IMPROVE_USER", "").strip()
    if name:
        return name
    try:
        out = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=2, check=False
        )
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return None
