"""The committee's progress report, in every format officers use.

    report = make_report(portfolio, today, plan_ids=[...], store=store, since="last")
    path = write_report(report, "html", out, plans_root)   # html | pdf | docx | xlsx | md | csv
    path = write_report(report, "docx", out, plans_root, template=Path("council.docx"))

Core code: no terminal code, and plan text is untrusted in every format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from ..plans.files import atomic_write, keep_mode
from .build import PlanReport, Report
from .gather import make_report

FORMATS = ("html", "pdf", "docx", "xlsx", "md", "csv")

__all__ = ["FORMATS", "Report", "default_name", "make_report", "render", "write_report"]


def default_name(plan_ids: list[str], fmt: str, today: date) -> str:
    """The file name a report gets when none is given: the plan, the as-at date, the format."""
    what = plan_ids[0] if len(plan_ids) == 1 else "all-plans" if not plan_ids else "plans"
    return f"{what}-report-{today.isoformat()}.{fmt}"


def render(
    report: Report,
    fmt: str,
    plans_root: Path,
    out_dir: Path | None = None,
    *,
    template: Path | None = None,
) -> bytes:
    """The report in one format, as the bytes of its file; a plan that cannot be laid out
    is left out and said (`each_plan_alone`). `template`: a .docx whose styles, headers,
    footers and margins a docx report takes (checked first: a `TemplateError` if it cannot
    be used)."""
    if fmt == "pdf":
        return pdf_bytes(report, plans_root, out_dir)
    if fmt == "docx":
        return docx_bytes(report, plans_root, out_dir, template)
    return each_plan_alone(report, fmt, lambda part: _render(part, fmt, plans_root, out_dir))


def docx_bytes(
    report: Report, plans_root: Path, out_dir: Path | None, template: Path | None
) -> bytes:
    """The report as a Word document, built into `template` when one is given (read and
    checked once, before any plan is laid out)."""
    from .docx import render_docx
    from .docx_parts import empty_document, template_bytes

    data = None if template is None else template_bytes(Path(template))  # refused here, once

    def attempt(part: Report) -> bytes:
        doc = None if data is None else empty_document(data)
        return render_docx(part, plans_root, out_dir, doc)

    return each_plan_alone(report, "docx", attempt)


def _render(report: Report, fmt: str, plans_root: Path, out_dir: Path | None) -> bytes:
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


def write_report(
    report: Report, fmt: str, path: Path, plans_root: Path, *, template: Path | None = None
) -> Path:
    """Write the report to `path` (atomically: a reader never sees half a file)."""
    path = Path(path)
    out_dir = path.resolve().parent
    if fmt == "pdf":
        tmp = path.with_name(f".{path.name}.part")
        try:
            tmp.write_bytes(pdf_bytes(report, plans_root, out_dir))
            keep_mode(tmp, path)  # a report that is there keeps its mode
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
        return path
    atomic_write(path, render(report, fmt, plans_root, out_dir, template=template))
    return path


def pdf_bytes(report: Report, plans_root: Path, out_dir: Path | None) -> bytes:
    """The report as a tagged PDF, each plan laid out as a document of its own (one plan
    that cannot be laid out is left out, as in `render`); refused above `pdf.MAX_ACTIONS`."""
    from .html import render_html
    from .pdf import front_html, pdf_report

    return pdf_report(
        report,
        lambda part: render_html(part, plans_root, out_dir),
        lambda whole: front_html(whole, plans_root, out_dir),
        out_dir or Path.cwd(),
        lambda r, pr, why: leave_out(r, pr, "pdf", why),
    )


def each_plan_alone(report: Report, fmt: str, attempt: Callable[[Report], bytes]) -> bytes:
    """`attempt(report)`, or, when it fails, the report without the plans that fail on
    their own: one plan never stops the report. Each plan left out is said in
    `report.not_reported` (shown in the report and by the command line) and taken out of
    `report.plans` (so it is not recorded as reported). Only a failure costs the second
    look; a failure no single plan causes is raised as it was."""
    try:
        return attempt(report)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except Exception:
        bad: list[tuple[PlanReport, Exception]] = []
        for pr in report.plans:
            try:
                attempt(replace(report, plans=[pr], not_reported=[]))
            except (KeyboardInterrupt, SystemExit, MemoryError):
                raise
            except Exception as exc:
                bad.append((pr, exc))
        if not bad:
            raise
        for pr, why in bad:
            leave_out(report, pr, fmt, why)
        return attempt(report)


def leave_out(report: Report, pr: PlanReport, fmt: str, why: Exception) -> None:
    """Take a plan that cannot be laid out as `fmt` out of `report`, and say so in it."""
    from ..plans.loader import display_name

    report.plans.remove(pr)
    report.not_reported.append(
        f"{display_name(pr.plan.file)}: improve could not lay this plan out as "
        f"{fmt} ({type(why).__name__}: {why}); the other plans are reported. "
        "Please report this"
    )
