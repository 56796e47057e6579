"""Who is making a change: IMPROVE_USER, then git's user.name, then the login name."""

from __future__ import annotations

import getpass
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path


def who_am_i(env: Mapping[str, str] | None = None) -> str | None:
    if env is None:
        env = os.environ
    name = env.get("IMPROVE_USER", "").strip()
    if name:
        return name
    try:
        from .gitrun import run

        out = run(["config", "user.name"], Path.cwd(), timeout=2)
        name = out.stdout.decode("utf-8", "replace").strip()
        if out.returncode == 0 and name:
            return name
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return None
