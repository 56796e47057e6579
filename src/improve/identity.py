"""Who is making a change: IMPROVE_USER, then git's user.name, then the login name."""

from __future__ import annotations

import getpass
import os
import subprocess


def who_am_i(env: dict | None = None) -> str | None:
    env = os.environ if env is None else env
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
