"""Fuzzing in the suite (issue 11 item 6): mutants of the shipped plans (byte flips,
truncations, deletions, type swaps, huge numbers and strings, deep nesting, bad UTF-8,
NUL and escapes, BOM, CRLF, invalid dates, confusable keys) each load as a plan or as
that file's errors: 0 exceptions, 0 loads over 2 s, every message one FILE:LINE:COL line.
`bench/fuzz.py` runs thousands."""

from __future__ import annotations

from click.testing import CliRunner

from fuzz_helper import MUTATORS, check_mutant, mutants
from improve.cli import cli

QUICK = 120


def test_every_mutant_is_a_plan_or_its_own_error(tmp_path):
    wrong: list[str] = []
    used: set[str] = set()
    for mutant in mutants(QUICK):
        used.update(mutant.steps)
        wrong += check_mutant(tmp_path, mutant)
    assert wrong == []
    assert used == {m.__name__ for m in MUTATORS}  # every kind of damage was tried


def test_a_folder_of_mutants_is_checked_end_to_end_without_a_traceback(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    for mutant in mutants(40, seed=11):
        (folder / f"{mutant.name}.toml").write_bytes(mutant.data)
    for args in (["check"], ["status"], ["actions"]):
        r = CliRunner().invoke(
            cli, ["--plans", str(folder), "--today", "2017-01-05", "--db",
                  str(tmp_path / "h.db"), *args], catch_exceptions=False,
        )  # fmt: skip
        assert "Traceback" not in r.output and "unexpected error" not in r.output, r.output
        assert r.exit_code in (0, 1)
