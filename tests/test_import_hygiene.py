"""The core never imports textual: the CLI and reports stay light, and the rules
can be used without a terminal UI."""

import subprocess
import sys

CORE = [
    "improve",
    "improve.model",
    "improve.loader",
    "improve.schema",
    "improve.validate",
    "improve.positions",
    "improve.rules",
    "improve.editing",
    "improve.api",
    "improve.serialize",
    "improve.dates",
    "improve.identity",
    "improve.template",
    "improve.cli",
    "improve.history",
    "improve.history.store",
    "improve.history.sync",
    "improve.history.changes",
    "improve.history.replay",
    "improve.history.migrations",
    "improve.history.rows",
    "improve.history.records",
]


def test_core_does_not_import_textual():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core imported: {out.stdout}"


def test_hygiene_check_would_notice_textual():
    """The check above can fail: importing textual shows up in sys.modules."""
    code = "import sys, textual\nprint('textual' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
