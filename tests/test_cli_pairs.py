"""`--reading MEASURE=VALUE` and `kpi import --where COLUMN=VALUE` read by one helper
(cli.options.key_value): what each says when the key is missing, and what each passes on."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from helpers import clean_env, plans_folder, run_cli
from improve.cli.options import key_value


@pytest.mark.parametrize(
    ("value", "pair"),
    [("a=1", ("a", "1")), (" a = 2 ", ("a", " 2 ")), ("a=", ("a", "")), ("a=b=c", ("a", "b=c"))],
)
def test_the_key_is_stripped_and_the_value_passed_on_as_given(value, pair):
    assert key_value(value, "KEY=VALUE", "", "--x") == pair


@pytest.mark.parametrize("value", ["a", "=1", "  =1", ""])
def test_no_key_is_a_usage_error_naming_the_shape_and_the_option(value):
    with pytest.raises(click.BadParameter) as caught:
        key_value(value, "KEY=VALUE", " (e.g. k=1)", "--x")
    assert caught.value.message == f'"{value}" is not KEY=VALUE (e.g. k=1)'
    assert caught.value.param_hint == "--x"


def test_update_says_what_a_reading_without_a_measure_should_look_like(monkeypatch, tmp_path):
    clean_env(monkeypatch, tmp_path)
    folder = plans_folder(tmp_path)
    before = {p: p.read_bytes() for p in Path(folder).glob("*.toml")}
    r = run_cli(folder, "update", "sample:1.1", "--reading", "82")
    assert r.exit_code == 2
    assert '"82" is not MEASURE=VALUE (e.g. supervision-monthly=82)' in r.output
    assert "--reading" in r.output
    assert {p: p.read_bytes() for p in before} == before  # nothing written


def test_kpi_import_says_what_a_where_without_a_column_should_look_like(monkeypatch, tmp_path):
    clean_env(monkeypatch, tmp_path)
    folder = plans_folder(tmp_path)
    source = tmp_path / "kpi.csv"
    source.write_text("la_name,rate\nTelford and Wrekin,1\n", encoding="utf-8")
    r = run_cli(folder, "kpi", "import", source, "--measure", "sample:m", "--column", "rate",
                "--la", "Telford and Wrekin", "--where", "Total")  # fmt: skip
    assert r.exit_code == 2
    assert '"Total" is not COLUMN=VALUE; e.g. --where characteristic=Total' in r.output
