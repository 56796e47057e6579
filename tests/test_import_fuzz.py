"""Fuzzing imports in the suite (issue 21 item 4): mutants of a Word plan, an Excel tracker
and a CSV export (tests/import_fuzz_helper.py: byte damage to the file or to one XML part
zipped again; a far cell under a huge dimension, merges over the whole sheet, zip bombs,
many rows, wide rows, cells spanning a billion columns or merged down from nowhere, DTDs,
UTF-16) each import as a plan or as that file's own error, in one line: 0 other
exceptions, 0 over 2 s, 0 over 60 MB of Python memory, with every limit lowered so the
hostile documents stay small. `bench/fuzz.py --imports` runs thousands."""

from __future__ import annotations

from click.testing import CliRunner

from helpers import clean_env
from import_fuzz_helper import (
    CSV_MUTATORS,
    ZIP_MUTATORS,
    check_import,
    import_mutants,
    lower_limits,
)
from improve.cli import cli

QUICK = 60


def test_every_mutant_imports_or_is_its_own_error(tmp_path, monkeypatch):
    lower_limits(monkeypatch.setattr)
    wrong: list[str] = []
    used: set[str] = set()
    for mutant in import_mutants(QUICK, tmp_path):
        used.update(mutant.steps)
        wrong += check_import(mutant)
    assert wrong == []
    assert used == {m.__name__ for m in ZIP_MUTATORS + CSV_MUTATORS}  # every kind was tried


def test_mutants_through_the_command_line_are_one_line_each(tmp_path, monkeypatch):
    lower_limits(monkeypatch.setattr)
    clean_env(monkeypatch, tmp_path)
    (tmp_path / "plans").mkdir()
    for mutant in import_mutants(12, tmp_path / "docs", seed=4):
        r = CliRunner().invoke(
            cli, ["--plans", "plans", "--today", "2017-01-05", "import", str(mutant.path),
                  "--dry-run"], catch_exceptions=False,
        )  # fmt: skip
        assert r.exit_code in (0, 1), (mutant.steps, r.output)
        assert "Traceback" not in r.output and "unexpected error" not in r.output, r.output
        if r.exit_code == 1:
            assert len(r.stderr.strip().splitlines()) == 1, (mutant.steps, r.stderr)
