"""The report as a tagged PDF (PDF/UA-1), rendered from the same HTML by WeasyPrint:
A4 landscape, the report's title as the document title, a bookmark for each plan and
section (from the headings)."""

from __future__ import annotations

from pathlib import Path

from ..errors import ImproveError


def pdf_available() -> str | None:
    """None when PDFs can be made, else why not (in one line)."""
    try:
        import weasyprint  # noqa: F401
    except Exception as exc:  # OSError when Pango is missing, ImportError when not installed
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"PDF needs WeasyPrint and the Pango library, which could not be loaded ({first})"
    return None


def write_pdf(html: str, path: Path, base: Path, *, compress: bool = True) -> None:
    why = pdf_available()
    if why:
        raise ImproveError(why + "; the other formats work without it", code="pdf-unavailable")
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=str(base))
    document.write_pdf(
        str(path), pdf_variant="pdf/ua-1", pdf_tags=True, uncompressed_pdf=not compress
    )
