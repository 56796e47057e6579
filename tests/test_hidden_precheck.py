"""Strings are searched for invisible characters only when the file could hold one (the
character itself, or a \\u / \\U escape): the warning is given either way (issue 27)."""

from __future__ import annotations

import pytest

from improve.plans.loader import load_file

PLAN = '[plan]\ntitle = "T"\n[[recommendation]]\nref = "1"\nleads = ["{lead}"]\n'


@pytest.mark.parametrize("lead", ["Lead\u202e", "Lead\\u202e", "Lead\\U0000202E", "Lead"])
def test_an_invisible_character_is_found_however_it_is_written(tmp_path, lead):
    path = tmp_path / "p.toml"
    path.write_text(PLAN.replace("{lead}", lead), encoding="utf-8")
    said = [str(p) for p in load_file(path, tmp_path).problems]
    assert any("invisible character" in s for s in said) == (lead != "Lead"), said
