"""The report from the app: e on a plan writes that plan's report in the chosen format,
in a worker, into the folder the app was started in, and says where."""

from __future__ import annotations

from datetime import date

from improve.tui import make_app
from improve.tui.plan import PlanScreen
from improve.tui.report import ReportFormat
from improve.tui.table import LineTable

TODAY = date(2017, 1, 5)


async def until(predicate, pilot, seconds: float = 20.0) -> bool:
    for _ in range(int(seconds / 0.02)):
        if predicate():
            return True
        await pilot.pause(0.02)
    return predicate()


async def test_e_on_a_plan_writes_its_report(plans, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    notes: list[str] = []
    app = make_app(plans, TODAY, user="Head of Early Help", poll=0, db=tmp_path / "h.db")
    real_notify = app.notify

    def notify(m, **kw):
        notes.append(m)
        return real_notify(m, **kw)

    monkeypatch.setattr(app, "notify", notify)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await until(lambda: app.statuses is not None, pilot)
        app.show_plan("sample")
        assert await until(
            lambda: isinstance(app.screen, PlanScreen) and app.focused is not None, pilot
        )
        await pilot.press("e")
        assert await until(lambda: isinstance(app.screen, ReportFormat), pilot)
        await pilot.press("m")  # Markdown
        name = "sample-report-2017-01-05.md"
        assert await until(lambda: (out / name).exists(), pilot)
        assert await until(lambda: any(n.startswith("Wrote the report: ") for n in notes), pilot)
        assert isinstance(app.screen, PlanScreen)  # back where the user was
        app.workers.cancel_all()
    text = (out / name).read_text()
    assert text.startswith("# Sample improvement plan: progress report")
    assert "### Areas with little or no evidence of progress" in text


async def test_e_on_the_first_screen_reports_every_plan(plans, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(plans, TODAY, poll=0, history=False)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await until(lambda: app.statuses is not None, pilot)
        await pilot.press("e")
        assert await until(lambda: isinstance(app.screen, ReportFormat), pilot)
        await pilot.press("down", "down", "enter")  # the third: Excel
        path = tmp_path / "all-plans-report-2017-01-05.xlsx"
        assert await until(lambda: path.exists(), pilot)
        app.workers.cancel_all()
    assert path.read_bytes()[:2] == b"PK"


async def test_the_portfolio_says_when_each_plan_was_last_reported(plans, tmp_path):
    from improve.history import HistoryStore

    path = plans / "sample.toml"
    path.write_text(
        path.read_text().replace('kind = "ofsted"', 'kind = "ofsted"\nreview = "quarterly"')
    )
    with HistoryStore(plans, path=tmp_path / "h.db") as store:
        store.record_reported(["sample"], "Scrutiny Committee", date(2016, 12, 8), TODAY)
    app = make_app(plans, TODAY, poll=0, db=tmp_path / "h.db")
    async with app.run_test(size=(200, 40)) as pilot:
        assert await until(lambda: app.statuses is not None, pilot)
        table = app.screen.query_one("#plans", LineTable)
        assert await until(lambda: bool(table.cells), pilot)
        assert str(table.cells[0][-1]) == ("2016-12-08 to Scrutiny Committee; next due 2017-03-08")
        app.workers.cancel_all()


async def test_the_palette_screenshot_is_written_here_and_said(plans, tmp_path, monkeypatch):
    """With no ~/Downloads, Textual's screenshot said nothing and saved nothing."""
    monkeypatch.setenv("HOME", str(tmp_path / "home-without-downloads"))
    out = tmp_path / "here"
    out.mkdir()
    monkeypatch.chdir(out)
    notes: list[str] = []
    app = make_app(plans, TODAY, poll=0, history=False)
    real_notify = app.notify

    def notify(m, **kw):
        notes.append(m)
        return real_notify(m, **kw)

    monkeypatch.setattr(app, "notify", notify)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await until(lambda: app.statuses is not None, pilot)
        app.action_screenshot()
        assert await until(lambda: any(n.startswith("Saved a screenshot: ") for n in notes), pilot)
        (svg,) = out.glob("*.svg")
        assert svg.read_text().startswith("<svg") and svg.name in notes[-1]
        svg.unlink()
        # and as a person takes one: the command palette's own "Screenshot" entry
        # (Textual's, which wrote to ~/Downloads and said "Failed to save screenshot")
        notes.clear()
        await pilot.press("ctrl+p")
        await pilot.press(*"screenshot")
        await pilot.press("enter")
        assert await until(lambda: any(n.startswith("Saved a screenshot: ") for n in notes), pilot)
        app.workers.cancel_all()
    (svg,) = out.glob("*.svg")
    assert svg.read_text().startswith("<svg") and svg.name in notes[-1]
