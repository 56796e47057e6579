"""The committee report on a 2,000-action plan, as ratios against loading that plan.

    .venv/bin/python bench/bench_report.py [--actions 2000]

The floor is loading and checking the plan (tomllib, validation, the status rules),
measured in the same run. Targets (issue 9): HTML, Markdown and CSV within 2x the load,
XLSX and DOCX within 4x; PDF is measured and said per page.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import best
from generate import plan_text
from improve import api
from improve.report import make_report, render

TODAY = date(2017, 1, 5)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--actions", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "plans"
        folder.mkdir()
        (folder / "big.toml").write_text(plan_text(0, args.actions, random.Random(1)))
        portfolio = api.load(folder)

        def load() -> None:
            p = api.load(folder)
            api.portfolio_status(p, TODAY)

        floor = best(load, args.repeat)
        rows = [("load and status (the floor)", floor, 1.0, "")]
        for fmt, target in (("html", 2), ("md", 2), ("csv", 2), ("xlsx", 4), ("docx", 4)):
            t = best(
                lambda fmt=fmt: render(make_report(portfolio, TODAY), fmt, folder), args.repeat
            )
            rows.append((fmt, t, t / floor, f"target ≤ {target}×"))
        import weasyprint

        from improve.report.html import render_html

        start = time.perf_counter()
        html = render_html(make_report(portfolio, TODAY), folder)
        document = weasyprint.HTML(string=html).render(pdf_tags=True)
        document.write_pdf(Path(tmp) / "r.pdf", pdf_variant="pdf/ua-1", pdf_tags=True)
        pdf = time.perf_counter() - start
        pages = len(document.pages)
        rows.append(
            ("pdf (tagged)", pdf, pdf / floor, f"{pages} pages, {pdf / pages * 1000:.0f} ms a page")
        )
    print(f"{args.actions} actions in one plan")
    for name, t, ratio, note in rows:
        print(f"  {name:<28} {t * 1000:8.0f} ms  {ratio:5.2f}×  {note}")


if __name__ == "__main__":
    main()
