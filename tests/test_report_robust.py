"""One plan never stops the report (issue 21 item 5): text a workbook cannot hold is
written as pictures, a number a report cannot show is refused by `check`, a plan that a
renderer fails on is left out and said while every other plan is reported, and every
renderer is fuzzed with the suite's mutators."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from fuzz_helper import (
    LOADABLE,
    REPORT_FORMATS,
    bom,
    check_report,
    edge_number,
    escaped_text,
    mutants,
)
from helpers import SAMPLE, clean_env, run_cli, write
from hostile_text import EVIL, HOSTILE_FILES

FORMATS = ("html", "md", "csv", "xlsx", "pdf")


@pytest.fixture
def folder(tmp_path, monkeypatch):
    clean_env(monkeypatch, tmp_path)
    plans = tmp_path / "plans"
    plans.mkdir()
    write(plans, "sample.toml", SAMPLE)
    write(plans, "evil.toml", EVIL)
    return plans


def test_a_workbook_holds_every_plan_with_control_characters_as_pictures(folder):
    """A control character in a title, a ref or a lead made openpyxl refuse the whole
    workbook (IllegalCharacterError), so no plan was reported."""
    r = run_cli(folder, "report", "--format", "xlsx", "-o", "out.xlsx")
    assert r.exit_code == 0 and "not reported" not in r.output, r.output
    wb = load_workbook(io.BytesIO((folder.parent / "out.xlsx").read_bytes()))
    cells = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value]
    assert any("Evil ␛]0;PWNED␇ title" in c for c in cells)
    assert any("Sample improvement plan" in c for c in cells)
    assert wb.properties.modified.date().isoformat() == "2017-01-05"  # not the clock's


def test_a_number_no_report_can_show_leaves_that_plan_out_and_reports_the_rest(folder):
    """A 310-digit target passed check and broke every format (OverflowError)."""
    (folder / "evil.toml").unlink()
    (folder / "big.toml").write_text(HOSTILE_FILES["huge-target"], encoding="utf-8")
    for fmt in ("html", "md", "csv", "xlsx"):
        r = run_cli(folder, "report", "--format", fmt, "-o", f"out.{fmt}")
        assert r.exit_code == 0, r.output
        assert "not reported: " in r.output and "big.toml" in r.output
        assert "Wrote out." in r.output and ": 1 plan as at" in r.output


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_plan_a_renderer_fails_on_is_left_out_and_the_rest_reported(folder, monkeypatch, fmt):
    """Whatever a renderer trips on in one plan (a fault of ours nobody foresaw), the
    other plans are reported and the one left out is named, in the report and on the
    command line; it is not recorded as reported to the committee."""
    from improve.report import flat, html, xlsx

    (folder / "evil.toml").unlink()
    write(folder, "other.toml", SAMPLE.replace("Sample improvement plan", "Other plan"))
    module, name = {
        "html": (html, "render_html"), "pdf": (html, "render_html"),
        "md": (flat, "render_markdown"), "csv": (flat, "render_csv"),
        "xlsx": (xlsx, "render_xlsx"),
    }[fmt]  # fmt: skip
    real = getattr(module, name)

    def trips(report, *args, **kw):
        if any(pr.plan.id == "other" for pr in report.plans):
            raise ArithmeticError("a fault nobody foresaw")
        return real(report, *args, **kw)

    monkeypatch.setattr(module, name, trips)
    r = run_cli(
        folder, "report", "--format", fmt, "-o", f"out.{fmt}",
        "--for", "Scrutiny", "--meeting", "2017-01-20",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    said = [x for x in r.output.splitlines() if "not reported" in x]
    assert len(said) == 1 and "other.toml: improve could not lay this plan out as" in said[0]
    assert "ArithmeticError: a fault nobody foresaw" in said[0]
    assert ": 1 plan as at" in r.output
    body = (folder.parent / f"out.{fmt}").read_bytes()
    if fmt in ("html", "md"):
        assert b"Sample improvement plan" in body and b"could not lay this plan out" in body
    plans = json.loads(run_cli(folder, "status", "--json").output)["plans"]
    reported = {p["id"]: (p.get("last_reported") or {}).get("body") for p in plans}
    assert reported == {"sample": "Scrutiny", "other": None}  # only what was reported


def test_a_failure_no_single_plan_causes_is_raised_as_it_was(folder, monkeypatch):
    from improve.report import flat

    def broken(report, *args, **kw):
        raise ArithmeticError("every time")

    monkeypatch.setattr(flat, "render_csv", broken)
    with pytest.raises(ArithmeticError):
        from helpers import APP_TODAY
        from improve import api
        from improve.report import render
        from improve.report.gather import make_report

        render(make_report(api.load(folder), APP_TODAY), "csv", folder)


def test_every_renderer_is_fuzzed_with_the_suites_mutators(tmp_path):
    """Mutants that still load as plans (control characters and escape sequences written
    as TOML escapes, invisible characters, numbers at the edge, CRLF, a BOM, swapped
    types) are reported in every format, beside a sound plan, without an exception and
    without being left out."""
    wrong: list[str] = []
    loaded = 0
    for mutant in mutants(60, seed=21, only=LOADABLE):
        found, reached = check_report(tmp_path, mutant, REPORT_FORMATS)
        wrong += found
        loaded += reached
    assert wrong == []
    assert loaded >= 15  # enough of them reached the renderers for this to mean something


def test_the_pdf_renderer_is_fuzzed_too(tmp_path):
    """The PDF is the HTML laid out by WeasyPrint: mutants of a small plan (a shipped
    one takes seconds a PDF) are laid out without an exception and without being left
    out."""
    wrong: list[str] = []
    loaded = 0
    small = [SAMPLE.encode("utf-8"), EVIL.encode("utf-8")]
    for mutant in mutants(6, seed=5, only=[escaped_text, edge_number, bom], originals=small):
        found, reached = check_report(tmp_path, mutant, ("pdf",))
        wrong += found
        loaded += reached
    assert wrong == [] and loaded >= 3, (wrong, loaded)


def test_the_pdf_of_hostile_plans_is_made_and_leaves_none_out(folder):
    (folder / "big.toml").write_text(HOSTILE_FILES["huge-target"], encoding="utf-8")
    write(folder, "bidi.toml", '[plan]\ntitle = "Bidi\\u202eexe.pdf \\u200b"\n')
    r = run_cli(folder, "report", "--format", "pdf", "-o", "out.pdf")
    assert r.exit_code == 0, r.output
    assert ": 3 plans as at" in r.output  # sample, evil, bidi; big refused by check
    assert (folder.parent / "out.pdf").read_bytes().startswith(b"%PDF")
