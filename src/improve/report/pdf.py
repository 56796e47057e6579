"""The report as a tagged PDF (PDF/UA-1), rendered from the same HTML by WeasyPrint:
A4 landscape, the report's title as the document title, a bookmark for each plan and
section (from the headings).

Each plan of a report of several is laid out as a document of its own and the pages are
joined (`Document.copy`): layout holds one plan at a time, and a plan that cannot be laid
out costs only itself. Every page is kept until the file is written (the tags are made
from the laid-out pages), so a PDF is refused before any layout above `MAX_ACTIONS`
(docs/performance.md has the figures)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import ImproveError
from .build import PlanReport, Report

# About 340 A4 pages, 45 s and 1 GB at most (docs/performance.md, "The PDF").
MAX_ACTIONS = 2000

# Added to each plan's own document in a report of several: the report's title, the plans
# not reported and who produced it are on the first page (a document of their own); the
# running foot names the plan, and each plan's pages are numbered as an appendix's.
PART_CSS = (
    "body > header, body > footer { display: none; }\n"
    "main > section > h2 { string-set: doctitle content(); }\n"
)


def pdf_available() -> str | None:
    """None when PDFs can be made, else why not (in one line)."""
    try:
        import weasyprint  # noqa: F401
    except Exception as exc:  # OSError when Pango is missing, ImportError when not installed
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"PDF needs WeasyPrint and the Pango library, which could not be loaded ({first})"
    return None


def _weasyprint() -> Any:
    why = pdf_available()
    if why:
        raise ImproveError(why + "; the other formats work without it", code="pdf-unavailable")
    import weasyprint

    return weasyprint


def actions_in(report: Report) -> int:
    return sum(len(group.rows) for pr in report.plans for group in pr.groups)


def check_size(report: Report) -> None:
    """Refuse, before any layout, a report too big for one PDF (`MAX_ACTIONS`)."""
    n = actions_in(report)
    if n > MAX_ACTIONS:
        raise ImproveError(
            f"a PDF report holds at most {MAX_ACTIONS:,} actions and this one has {n:,}",
            code="pdf-too-large",
            actions=n,
            limit=MAX_ACTIONS,
        )


def _layout(html: str, base: Path, extra_css: str | None = None, fonts: Any = None) -> Any:
    """One HTML page laid out; `fonts`, a WeasyPrint FontConfiguration the documents of one
    report share (each would otherwise load the fonts again and keep them)."""
    weasyprint = _weasyprint()
    css = [weasyprint.CSS(string=extra_css, font_config=fonts)] if extra_css else None
    return weasyprint.HTML(string=html, base_url=str(base)).render(
        font_config=fonts, stylesheets=css, pdf_tags=True
    )


def _write(documents: list[Any], target: Any = None, *, compress: bool = True) -> bytes | None:
    pages = [page for document in documents for page in document.pages]
    joined = documents[0] if len(documents) == 1 else documents[0].copy(pages)
    written: bytes | None = joined.write_pdf(  # bytes, or None when written to `target`
        target, pdf_variant="pdf/ua-1", pdf_tags=True, uncompressed_pdf=not compress
    )
    return written


def write_pdf(html: str, path: Path, base: Path, *, compress: bool = True) -> None:
    """One HTML page as one tagged PDF."""
    _write([_layout(html, base)], str(path), compress=compress)


def front_html(report: Report, plans_root: Path, out_dir: Path | None) -> str:
    """The first page of a report of several plans, each laid out as a document of its
    own: the report's title, its contents (a link to each plan), the plans not reported,
    and who produced it."""
    from .html import _Writer

    class Front(_Writer):
        def plan(self, pr: PlanReport, anchor: str, first: bool) -> None:
            pass  # each plan is a document of its own

    return Front(report, plans_root, out_dir).page()


def pdf_report(
    report: Report,
    html_of: Callable[[Report], str],
    front_of: Callable[[Report], str],
    base: Path,
    leave_out: Callable[[Report, PlanReport, Exception], None],
    *,
    compress: bool = True,
) -> bytes:
    """The report as one tagged PDF, each plan laid out alone (`html_of` gives the HTML of
    a report; `front_of`, of its first page when it has several plans). A plan whose
    layout fails is passed to `leave_out`, which takes it out of `report` and says so in
    `report.not_reported`; the others are reported."""
    check_size(report)
    _weasyprint()  # or why PDFs cannot be made, in one line
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    single = len(report.plans) == 1
    documents = []
    for pr in list(report.plans):
        part = report if single else replace(report, plans=[pr], not_reported=[])
        try:
            documents.append(_layout(html_of(part), base, None if single else PART_CSS, fonts))
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except ImproveError:
            raise
        except Exception as exc:
            leave_out(report, pr, exc)
    if not (single and documents):
        # the first page: the report's title and contents, the plans not reported, who made it
        documents.insert(0, _layout(front_of(report), base, fonts=fonts))
    data = _write(documents, compress=compress)
    assert data is not None
    return data
