"""The committee's progress report, in every format officers use.

    report = make_report(portfolio, today, plan_ids=[...], store=store, since="last")
    path = write_report(report, "html", out, plans_root)   # html | pdf | xlsx | md | csv

Core code: no terminal code, and plan text is untrusted in every format.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..files import atomic_write, keep_mode
from .build import Report
from .gather import make_report

FORMATS = ("html", "pdf", "xlsx", "md", "csv")

__all__ = ["FORMATS", "Report", "default_name", "make_report", "render", "write_report"]


def default_name(plan_ids: list[str], fmt: str, today: date) -> str:
    """The file name a report gets when none is given: the plan, the as-at date, the format."""
    what = plan_ids[0] if len(plan_ids) == 1 else "all-plans" if not plan_ids else "plans"
    return f"{what}-report-{today.isoformat()}.{fmt}"


def render(report: Report, fmt: str, plans_root: Path, out_dir: Path | None = None) -> bytes:
    """The report in one format, as the bytes of its file (PDF excepted: see write_report)."""
    if fmt == "html":
        from .html import render_html

        return render_html(report, plans_root, out_dir).encode("utf-8")
    if fmt == "md":
        from .flat import render_markdown

        return render_markdown(report, plans_root, out_dir).encode("utf-8")
    if fmt == "csv":
        from .flat import render_csv

        return render_csv(report).encode("utf-8")
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx(report)
    raise ValueError(f"no such format: {fmt}")


def write_report(report: Report, fmt: str, path: Path, plans_root: Path) -> Path:
    """Write the report to `path` (atomically: a reader never sees half a file)."""
    path = Path(path)
    out_dir = path.resolve().parent
    if fmt == "pdf":
        from .html import render_html
        from .pdf import write_pdf

        tmp = path.with_name(f".{path.name}.part")
        try:
            write_pdf(render_html(report, plans_root, out_dir), tmp, out_dir)
            keep_mode(tmp, path)  # a report that is there keeps its mode
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
        return path
    atomic_write(path, render(report, fmt, plans_root, out_dir))
    return path
