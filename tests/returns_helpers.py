"""What the returns tests share: a plan, a lead, making a return and filling it in as the
lead would."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from improve.cli import cli
from improve.returns import COLUMNS

TODAY = "2017-01-05"


LEAD = "Head of Safeguarding and Quality"


PLAN = "telford-ofsted-2016"


NAME = f"return-head-of-safeguarding-and-quality-{TODAY}.xlsx"


def run(plans: str, *args, env=None):
    return CliRunner().invoke(
        cli, ["--plans", plans, "--today", TODAY, *map(str, args)], env=env,
        catch_exceptions=False,
    )  # fmt: skip


def make(plans: str = "a") -> Path:
    r = run(plans, "returns", "make", "--lead", LEAD, "-o", "out", "--by", "Performance Team")
    assert r.exit_code == 0, r.output
    return Path("out") / NAME


def fill(path: Path, answers: dict[str, dict[str, object]], out: str = "filled.xlsx") -> Path:
    """Type answers into the rows of these refs, as a lead would in Excel."""
    book = openpyxl.load_workbook(path)
    ws = book["Return"]
    col = {name: k + 1 for k, name in enumerate(COLUMNS)}
    for r in range(2, ws.max_row + 1):
        ref = ws.cell(r, col["Ref"]).value
        for heading, value in answers.get(ref, {}).items():
            ws.cell(r, col[heading]).value = value
    book.save(out)
    return Path(out)


def plan_bytes(folder: Path, name: str = "a") -> bytes:
    return (folder / name / f"{PLAN}.toml").read_bytes()
