"""`improve kpi import` against reading the same file with the csv module (issue 25):

    .venv/bin/python bench/kpi_import.py [--councils 150] [--years 10] [--runs 30]

Makes up an Explore Education Statistics file of 150 councils in 9 regions over 10
years (a National, 9 Regional and 150 Local authority rows a year, 8 indicator columns,
as EES files have several), and a statistical neighbours file. Times, in the same run
and interleaved, (a) reading every row of the file with `csv.reader` and nothing else,
the floor, and (b) what `kpi import` does before it writes: reading the neighbours
file, reading and matching the EES file (the council, England, its region, its ten
neighbours, every figure checked and dated) and working out the readings and the
comparators. Prints the best of `--runs` for each and their ratio (the issue wants
under 2x); then the whole command once, writing into a plan, for scale.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from kpi_files import ees_text, neighbours_text  # noqa: E402

REGIONS = ["North East", "North West", "Yorkshire and The Humber", "East Midlands",
           "West Midlands", "East of England", "London", "South East", "South West"]  # fmt: skip
COLUMNS = ("cin_rate", "cpp_rate", "cla_rate", "cin_count", "cpp_count", "cla_count",
           "referrals", "re_referral_pct")  # fmt: skip


def councils(n: int) -> list[tuple[str, str, str, str]]:
    return [
        (f"Council {k:03d}", f"E06{k:06d}", f"{100 + k}", REGIONS[k % len(REGIONS)])
        for k in range(n)
    ]


def value(place: str, year: int) -> str:
    h = (sum(map(ord, place)) * 31 + year) % 997
    return "c" if h % 41 == 0 else f"{200 + h / 7:.1f}"


def floor(path: Path) -> int:
    with open(path, encoding="utf-8-sig", newline="") as f:
        n = 0
        for _ in csv.reader(f):
            n += 1
    return n


def kpi(path: Path, sn: Path, la: str) -> int:
    from improve.kpi.apply import build_change
    from improve.kpi.ees import read_ees
    from improve.kpi.neighbours import read_neighbours

    nb = read_neighbours(sn, la)
    figures = read_ees(path, "cin_rate", la, nb.names)
    change, _, _ = build_change("cin-rate", figures, nb, "median")
    return len(change.readings) + len(change.comparators)


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--councils", type=int, default=150)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        las = councils(args.councils)
        path = folder / "ees.csv"
        years = range(2022 - args.years, 2022)
        path.write_text(ees_text(value, councils=las, years=years, columns=COLUMNS), "utf-8")
        la = las[7][0]
        near = [c[0] for c in las if c[0] != la][:10]
        sn = folder / "sn.csv"
        sn.write_text(neighbours_text({c[0]: near for c in las}), "utf-8")
        rows = floor(path)
        assert kpi(path, sn, la) > 0  # warm: imports, and the figures are there
        csv_times, kpi_times = [], []
        for _ in range(args.runs):
            csv_times.append(timed(lambda: floor(path)))
            kpi_times.append(timed(lambda: kpi(path, sn, la)))
        f, k = min(csv_times), min(kpi_times)
        size = path.stat().st_size
        print(f"EES file: {args.councils} councils x {args.years} years, {rows} rows, "
              f"{len(COLUMNS)} indicators, {size / 1024:.0f} KiB")  # fmt: skip
        print(f"csv.reader alone (floor):      {f * 1000:8.2f} ms")
        print(f"kpi import, read + match:      {k * 1000:8.2f} ms")
        print(f"ratio:                         {k / f:8.2f}x  (issue 25: under 2x)")
        whole = whole_command(folder, path, sn, la)
        print(f"the whole command, once (start-up, plan read, write, history): {whole:.2f} s")


def whole_command(folder: Path, path: Path, sn: Path, la: str) -> float:
    import subprocess

    plans = folder / "plans"
    plans.mkdir()
    (plans / "kpis.toml").write_text(
        '[plan]\ntitle = "KPIs"\nkind = "internal"\n\n[[measure]]\nid = "cin-rate"\n'
        'text = "Rate of children in need per 10,000 children"\nunit = "per 10,000"\n',
        "utf-8",
    )
    exe = Path(sys.executable).parent / "improve"
    argv = [str(exe), "--plans", str(plans), "--db", str(folder / "h.db"), "--today",
            "2022-06-01", "kpi", "import", str(path), "--measure", "kpis:cin-rate",
            "--column", "cin_rate", "--la", la, "--neighbours", str(sn)]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
