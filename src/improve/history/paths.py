"""Where the history lives, and the names of its migrations: what a run that only reads
needs to know of the history without loading its store (the migrations, the checks)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

DB_DIR = ".improve"
DB_NAME = "history.db"

# Every migration's name, in order (tests/test_history_migrate.py holds this to
# migrations.MIGRATIONS): a database that has exactly these is one this version reads
# without migrating.
MIGRATION_NAMES = (
    "m001_initial",
    "m002_reports",
    "m003_requests",
    "m004_review_files",
    "m005_commits",
    "m006_review_keys",
    "m007_report_files",
    "m008_measures",
)


def default_path(plans_dir: Path) -> Path:
    return Path(plans_dir) / DB_DIR / DB_NAME


def resolve_path(
    plans_dir: Path, db: Path | str | None = None, env: Mapping[str, str] | None = None
) -> Path:
    """Where the history lives: --db, else IMPROVE_DB, else <plans>/.improve/history.db."""
    env = os.environ if env is None else env
    chosen = db or env.get("IMPROVE_DB") or None
    return Path(chosen).expanduser() if chosen else default_path(plans_dir)
