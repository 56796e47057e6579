"""The long fuzz run (issue 11 item 6, issue 21 item 5): thousands of mutants of the
shipped plans.

    .venv/bin/python bench/fuzz.py [--count 5000] [--seed 2017] [--pdf-every 100]
    .venv/bin/python bench/fuzz.py --imports [--count 1000]   # documents to import instead

Each mutant is loaded as a plan file; each that loads as a plan is then reported beside a
sound plan in every format (HTML, Markdown, CSV, workbook; a PDF for one in
--pdf-every). Prints how many loaded as plans, the slowest load against a bare tomllib
parse of the largest shipped plan (measured in the same run), the slowest report against
the HTML report of that plan unharmed, and every mutant handled wrongly: an exception, a
load over 2 s or a report over 5 s, a message that is not one FILE:LINE:COL line, a
report that left out the sound plan or the mutant (a report stopped by one plan). Exit
status 1 if any.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from fuzz_helper import REPORT_FORMATS, SEEDS, check_mutant, check_report, mutants  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=2017)
    ap.add_argument("--pdf-every", type=int, default=100, help="a PDF for one loaded mutant in N")
    ap.add_argument("--imports", action="store_true", help="fuzz `improve import` instead")
    args = ap.parse_args()
    if args.imports:
        sys.exit(fuzz_imports(args.count, args.seed))
    largest_path = max(SEEDS, key=lambda p: p.stat().st_size)
    largest = largest_path.read_text(encoding="utf-8")
    started = time.perf_counter()
    tomllib.loads(largest)
    floor = time.perf_counter() - started
    report_floor = _report_floor(largest_path)
    wrong: list[str] = []
    kinds: Counter[str] = Counter()
    slowest = slowest_report = 0.0
    loaded = pdfs = 0
    with tempfile.TemporaryDirectory() as tmp:
        for mutant in mutants(args.count, args.seed):
            kinds.update(mutant.steps)
            t = time.perf_counter()
            wrong += check_mutant(Path(tmp), mutant)
            slowest = max(slowest, time.perf_counter() - t)
            with_pdf = args.pdf_every > 0 and loaded % args.pdf_every == 0
            formats = (*REPORT_FORMATS, "pdf") if with_pdf else REPORT_FORMATS
            t = time.perf_counter()
            found, reached = check_report(Path(tmp), mutant, formats)
            if reached:
                loaded += 1
                pdfs += with_pdf
                per = (time.perf_counter() - t) / len(formats)
                slowest_report = max(slowest_report, per)
            wrong += found
    print(f"{args.count} mutants ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})")
    print(f"slowest load {slowest:.2f} s = {slowest / floor:.0f}x a parse of the largest plan")
    print(
        f"{loaded} loaded as plans and were reported in {len(REPORT_FORMATS)} formats "
        f"({pdfs} as PDF too); slowest format {slowest_report:.2f} s = "
        f"{slowest_report / report_floor:.1f}x the HTML report of the largest plan unharmed"
    )
    tracebacks = sum("raised" in line for line in wrong)
    stopped = sum(" reported [" in line for line in wrong)
    slow = sum(" took " in line for line in wrong)
    print(f"handled wrongly: {len(wrong)} ({tracebacks} exceptions, {slow} over the limit, "
          f"{stopped} reports that left a plan out)")  # fmt: skip
    for line in wrong[:20]:
        print("  ", line[:400])
    sys.exit(1 if wrong else 0)


def _report_floor(plan: Path) -> float:
    """The HTML report of one shipped plan, unharmed, as a floor for the reports' times."""
    from datetime import date

    from improve import api
    from improve.report import render
    from improve.report.gather import make_report

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / plan.name).write_bytes(plan.read_bytes())
        report = make_report(api.load(folder), date(2017, 1, 5))
        started = time.perf_counter()
        render(report, "html", folder, folder)
        return time.perf_counter() - started


def fuzz_imports(n: int, seed: int) -> int:
    """Mutants of a Word plan, an Excel tracker and a CSV export (tests/import_fuzz_helper.py),
    each imported with the limits lowered: every one handled wrongly (an exception that is
    not the file's own error, over 2 s or 60 MB), and the slowest. The exit status."""
    from import_fuzz_helper import check_import, import_mutants, lower_limits

    lower_limits(setattr)
    wrong: list[str] = []
    kinds: Counter[str] = Counter()
    slowest = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for mutant in import_mutants(n, Path(tmp), seed):
            kinds.update(mutant.steps)
            t = time.perf_counter()
            wrong += check_import(mutant)
            slowest = max(slowest, time.perf_counter() - t)
    print(f"{n} documents ({', '.join(f'{k} {c}' for k, c in sorted(kinds.items()))})")
    print(f"slowest import {slowest:.2f} s; handled wrongly: {len(wrong)}")
    for line in wrong[:20]:
        print("  ", line)
    return 1 if wrong else 0


if __name__ == "__main__":
    main()
