"""The committee report as a PDF, against WeasyPrint laying out the same HTML with no
styling at all (the floor, measured in the same run), beside the HTML.

    .venv/bin/python bench/bench_pdf.py                 # the Telford plans, 500 actions, 20 plans
    .venv/bin/python bench/bench_pdf.py --actions 2000  # a bigger synthetic plan
    .venv/bin/python bench/bench_pdf.py --memory        # and each one's peak memory

The floor is the report's own HTML with its <style> taken out, laid out and written as a
tagged PDF/UA-1 by the same WeasyPrint: the same words, tables and tags with the browser
defaults (auto table layout, A4 portrait). What the report's CSS costs is the ratio of the
PDF to it. Pages are counted in each (pdfinfo, from poppler-utils); memory (--memory) is
the peak resident size of a process that makes only that PDF. Nothing here runs in the
test suite; the figures are in docs/performance.md ("The PDF").
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate, plan_text  # noqa: E402
from improve import api  # noqa: E402
from improve.report import make_report, render  # noqa: E402
from improve.report.html import render_html  # noqa: E402

TODAY = date(2017, 1, 5)
SHIPPED = HERE.parent / "plans"


def best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def pages(pdf: bytes) -> int:
    """Its pages, as pdfinfo (poppler-utils) counts them."""
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    return int(re.search(rb"Pages:\s+(\d+)", out).group(1))


def floor_pdf(html: str) -> bytes:
    """The same HTML with no stylesheet, as a tagged PDF."""
    import weasyprint

    bare = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    document = weasyprint.HTML(string=bare).render(pdf_tags=True)
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def folder_for(case: str, tmp: Path) -> tuple[Path, str | None]:
    """The plans folder and plan id of a case: a shipped plan, N synthetic actions in one
    plan, or PxA (P plans of A actions, all reported: plan id None)."""
    if "x" in case:
        plans, actions = map(int, case.split("x"))
        generate(tmp / f"plans-{case}", plans, actions)
        return tmp / f"plans-{case}", None
    if not case.isdigit():
        return SHIPPED, case
    folder = tmp / f"plans-{case}"
    folder.mkdir(exist_ok=True)
    (folder / "big.toml").write_text(plan_text(0, int(case), random.Random(1)))
    return folder, "big"


def measure(case: str, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder, plan = folder_for(case, Path(tmp))
        portfolio = api.load(folder)

        def report():
            return make_report(portfolio, TODAY, plan_ids=[plan] if plan else None)

        actions = sum(len(g.rows) for pr in report().plans for g in pr.groups)
        t_html, html = best(lambda: render_html(report(), folder), repeat)
        t_pdf, pdf = best(lambda: render(report(), "pdf", folder), repeat)
        t_floor, bare = best(lambda: floor_pdf(html), repeat)
    return {
        "case": case,
        "actions": actions,
        "html": t_html,
        "pdf": t_pdf,
        "floor": t_floor,
        "pages": pages(pdf),
        "floor_pages": pages(bare),
    }


def make_pdf(case: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder, plan = folder_for(case, Path(tmp))
        ids = [plan] if plan else None
        render(make_report(api.load(folder), TODAY, plan_ids=ids), "pdf", folder)


def peak_mb(case: str) -> float:
    """The peak resident size of a process making this one PDF."""
    out = subprocess.run(
        [sys.executable, __file__, "--peak-of", case],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--actions", type=int, default=500, help="the synthetic plan's size")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--plans", default="20x100", help="P plans of A actions, in one report")
    ap.add_argument("--memory", action="store_true", help="measure each one's peak memory")
    ap.add_argument("--peak-of", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.peak_of:
        make_pdf(args.peak_of)
        # VmHWM, not ru_maxrss: Linux carries a forking parent's size into the latter
        status = Path("/proc/self/status").read_text()
        print(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
        return
    cases = ["telford-ofsted-2016", "telford-cse-scrutiny-2016", str(args.actions), args.plans]
    print(
        f"{'plan':<28} {'actions':>7} {'html':>8} {'pdf':>8} {'floor':>8} "
        f"{'pdf/floor':>9} {'pdf/html':>8} {'pages':>5} {'floor pages':>11} {'ms a page':>9}"
        + ("  peak MB" if args.memory else "")
    )
    for case in cases:
        r = measure(case, args.repeat)
        name = (
            f"{case.split('x')[0]} plans, {r['actions']} actions"
            if "x" in case
            else case
            if not case.isdigit()
            else f"synthetic, {case} actions"
        )
        line = (
            f"{name:<28} {r['actions']:>7} {r['html']:>7.2f}s {r['pdf']:>7.2f}s "
            f"{r['floor']:>7.2f}s {r['pdf'] / r['floor']:>8.2f}× {r['pdf'] / r['html']:>7.0f}× "
            f"{r['pages']:>5} {r['floor_pages']:>11} {r['pdf'] / r['pages'] * 1000:>9.0f}"
        )
        if args.memory:
            line += f"  {peak_mb(case):7.0f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
