"""Writing the committee's report from the app: a small modal picks the format, a worker
writes the file (the plan on screen, or every plan from elsewhere) into the folder the app
was started in, and a notification says where. Nothing is opened."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from .app import ImproveApp

CHOICES = (
    ("html", "HTML: one accessible file for screens and for printing"),
    ("pdf", "PDF: tagged, A4 landscape, for the committee papers"),
    ("xlsx", "Excel workbook"),
    ("md", "Markdown"),
    ("csv", "CSV: one row per action"),
)


@dataclass
class ReportRequest:
    fmt: str
    plan_ids: list[str]


class ReportFormat(ModalScreen[ReportRequest | None]):
    """Which format: ↑ ↓ and enter, or the first letter."""

    AUTO_FOCUS = "#formats"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        *(Binding(fmt[0], f"pick('{fmt}')", show=False) for fmt, _ in CHOICES),
    ]

    def __init__(self, plan_ids: list[str], what: str) -> None:
        super().__init__()
        self.plan_ids, self.what = plan_ids, what

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form"):
            yield Label(Text(f"Write the committee report on {self.what}  ·  esc cancels"))
            yield OptionList(
                *(Option(Text(f"{fmt[0]}  {words}"), id=fmt) for fmt, words in CHOICES),
                id="formats",
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(str(event.option.id))

    def action_pick(self, fmt: str) -> None:
        self.dismiss(ReportRequest(fmt, self.plan_ids))

    def action_cancel(self) -> None:
        self.dismiss(None)


def write_in_worker(app: ImproveApp, request: ReportRequest, folder: Path) -> Path:
    """In a worker thread: the report, written with the same library calls as
    `improve report`. Returns where."""
    from ..api import default_name, make_report, write_report

    portfolio, statuses = app.portfolio, app.statuses  # the rules as worked out on load or edit
    if portfolio is None:
        raise RuntimeError("the plans are still loading")
    report = make_report(
        portfolio,
        app.today,
        plan_ids=request.plan_ids,
        store=app.history,
        produced_by=app.user,
        statuses=statuses,
    )
    path = folder / default_name(request.plan_ids, request.fmt, app.today)
    write_report(report, request.fmt, path, app.plans)
    return path


def choose_report(app: ImproveApp) -> None:
    """The format asked for, then the report on the plan on screen (or every plan)
    written by a worker, which says where it went."""
    plan_id = getattr(app.screen, "plan_id", None)
    if isinstance(app.screen, ReportFormat) or app.portfolio is None:
        return
    what = f"plan {plan_id}" if plan_id else "every plan"

    def chosen(request: ReportRequest | None) -> None:
        if request is not None:
            slow = " (a PDF of a long plan takes a minute)" if request.fmt == "pdf" else ""
            app.notify(f"Writing the report as {request.fmt}…{slow}", timeout=4, markup=False)
            app.run_worker(lambda: _report_written(app, request), name="write_report",
                           group="report", thread=True)  # fmt: skip

    app.open(ReportFormat([plan_id] if plan_id else [], what), chosen)


def _report_written(app: ImproveApp, request: ReportRequest) -> None:
    from ..api import ImproveError, display_name

    try:
        path = write_in_worker(app, request, Path.cwd())
    except ImproveError as exc:
        app.call_from_thread(
            app.notify, f"Report not written: {exc}", severity="error", markup=False
        )
        return
    app.call_from_thread(
        app.notify, f"Wrote the report: {display_name(path.resolve())}", timeout=10, markup=False
    )


def take_screenshot(app: ImproveApp, filename: str | None = None, path: str | None = None) -> None:
    """An SVG of the screen, written by a worker into `path` (default: the folder improve
    was started in), and a note that says where (Textual's own writes to ~/Downloads and
    says nothing when that folder is missing)."""
    from textual._files import generate_datetime_filename  # where textual.app has it from

    svg = app.export_screenshot()
    name = filename or generate_datetime_filename(app.title, ".svg")
    folder = Path(path) if path else Path.cwd()
    app.run_worker(lambda: _screenshot_written(app, svg, folder / name), name="write_screenshot",
                   group="screenshot", thread=True)  # fmt: skip


def _screenshot_written(app: ImproveApp, svg: str, target: Path) -> None:
    from ..api import ImproveError, atomic_write, display_name

    try:
        atomic_write(target, svg.encode("utf-8"))
    except ImproveError as exc:
        app.call_from_thread(
            app.notify, f"Screenshot not saved: {exc}", severity="error", markup=False
        )
        return
    app.call_from_thread(
        app.notify, f"Saved a screenshot: {display_name(target.resolve())}", markup=False
    )
