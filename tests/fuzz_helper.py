"""A mutation fuzzer over the shipped plans: each mutant is a plan file as a careless or
hostile hand might leave it. Used by tests/test_fuzz.py (a quick run in the suite) and
bench/fuzz.py (a long one)."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from helpers import SHIPPED

SEEDS = sorted(SHIPPED.glob("*.toml"))
CONFUSABLE = {"title": "tіtle", "percent": "percеnt", "due": "duе", "ref": "rеf", "plan": "pIan"}


def _line_span(data: bytes, rng: random.Random) -> tuple[int, int]:
    starts = [0] + [m.end() for m in re.finditer(rb"\n", data)]
    i = rng.randrange(len(starts))
    end = starts[i + 1] if i + 1 < len(starts) else len(data)
    return starts[i], end


def flip(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1 :]


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data))]


def delete(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + data[i + rng.randrange(1, 200) :]


def duplicate_line(data: bytes, rng: random.Random) -> bytes:
    a, b = _line_span(data, rng)
    return data[:b] + data[a:b] + data[b:]


def swap_type(data: bytes, rng: random.Random) -> bytes:
    swaps = [
        (rb'= "[^"\n]*"', b"= 42"),
        (rb"= \d+\b", b'= "forty-two"'),
        (rb"= \d{4}-\d{2}-\d{2}", b'= "last March"'),
        (rb"= \[[^\]\n]*\]", b"= { a = 1 }"),
        (rb"= (true|false)", b'= "yes"'),
        (rb"= \d+\b", b"= 1e400"),
        (rb"= \d+\b", b"= -7"),
    ]
    pattern, new = rng.choice(swaps)
    found = list(re.finditer(pattern, data))
    if not found:
        return data
    m = rng.choice(found)
    return data[: m.start()] + new + data[m.end() :]


def _insert_line(data: bytes, rng: random.Random, line: bytes) -> bytes:
    a, _ = _line_span(data, rng)
    return data[:a] + line + b"\n" + data[a:]


def huge_number(data: bytes, rng: random.Random) -> bytes:
    return _insert_line(data, rng, b"n = " + b"9" * rng.choice([20, 400, 5000]))


def huge_string(data: bytes, rng: random.Random) -> bytes:
    return _insert_line(data, rng, b'note = "' + b"x" * rng.choice([10_000, 1_000_000]) + b'"')


def deep_nesting(data: bytes, rng: random.Random) -> bytes:
    n = rng.choice([70, 600, 3000])
    sep = rng.choice([b"", b"\n"])
    return _insert_line(data, rng, b"a = " + (b"[" + sep) * n + (b"]" + sep) * n)


def dotted_bomb(data: bytes, rng: random.Random) -> bytes:
    n = rng.choice([300, 20_000])
    return _insert_line(data, rng, b".".join(b"k%d" % i for i in range(n)) + b" = 1")


def bad_utf8(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe9"]) + data[i:]


def control(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + rng.choice([b"\x00", b"\x1b[2J", b"\x1b]0;x\x07", b"\r", b"\x0c"]) + data[i:]


def bom(data: bytes, rng: random.Random) -> bytes:
    return b"\xef\xbb\xbf" + data


def crlf(data: bytes, rng: random.Random) -> bytes:
    return data.replace(b"\n", b"\r\n")


def bad_date(data: bytes, rng: random.Random) -> bytes:
    found = list(re.finditer(rb"\d{4}-\d{2}-\d{2}", data))
    if not found:
        return data
    m = rng.choice(found)
    return (
        data[: m.start()]
        + rng.choice([b"2017-02-30", b"2017-13-01", b"0000-00-00"])
        + data[m.end() :]
    )


def confusable_key(data: bytes, rng: random.Random) -> bytes:
    key, fake = rng.choice(list(CONFUSABLE.items()))
    found = list(re.finditer(rb"(?m)^\s*" + key.encode() + rb"\b", data))
    if not found:
        return data
    m = rng.choice(found)
    return data[: m.start()] + m.group(0).replace(key.encode(), fake.encode()) + data[m.end() :]


def escaped_text(data: bytes, rng: random.Random) -> bytes:
    """A control, escape sequence or invisible character written as TOML escapes inside a
    string, so the file still parses and the text reaches every output."""
    found = list(re.finditer(rb'= "', data))
    if not found:
        return data
    at = rng.choice(found).end()
    bad = rng.choice([
        rb"\u001b]0;PWNED\u0007", rb"\u001b]52;c;Y2xpcA==\u0007", rb"\u009b31m", rb"\u0000",
        rb"\u202eevil", rb"\u200b", rb"\u2066x\u2069", rb"\ufeff", rb"\r", rb"\u007f",
        rb"[bold]", rb"=HYPERLINK(1)", rb"<script>", rb"\ud7ff\ue000",
    ])  # fmt: skip
    return data[:at] + bad + data[at:]


def edge_number(data: bytes, rng: random.Random) -> bytes:
    """A number at or past what a report or a spreadsheet can show."""
    found = list(re.finditer(rb"= \d+(?=[ \t]*(#|\r?\n|$))", data))  # a number, not a date
    if not found:
        return data
    m = rng.choice(found)
    new = rng.choice([b"999999999999999", b"1000000000000000", b"9" * 310, b"1e308", b"-0.0",
                      b"1e-300", b"-999999999999999", b"0.1e15", b"nan", b"inf"])  # fmt: skip
    return data[: m.start()] + b"= " + new + data[m.end() :]


MUTATORS: list[Callable[[bytes, random.Random], bytes]] = [
    flip, truncate, delete, duplicate_line, swap_type, huge_number, huge_string,
    deep_nesting, dotted_bomb, bad_utf8, control, bom, crlf, bad_date, confusable_key,
    escaped_text, edge_number,
]  # fmt: skip


@dataclass
class Mutant:
    name: str
    data: bytes
    steps: list[str]


def mutants(count: int, seed: int = 2017, only=None, originals=None) -> Iterator[Mutant]:
    """`count` mutants, each of a shipped plan (or one of `originals`, bytes) damaged one
    to three times by `only` (the mutators to use; all of them when None)."""
    rng = random.Random(seed)
    originals = list(originals or [p.read_bytes() for p in SEEDS])
    use = list(only or MUTATORS)
    for k in range(count):
        data = rng.choice(originals)
        steps = []
        for _ in range(rng.randint(1, 3)):
            mutate = rng.choice(use)
            data = mutate(data, rng) if data else data
            steps.append(mutate.__name__)
        yield Mutant(f"m{k:05d}", data, steps)


ONE_LINE = re.compile(r"^[^\n]+:\d+:\d+: (error|warning): [^\n]+$")
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def check_mutant(folder: Path, mutant: Mutant, limit: float = 2.0) -> list[str]:
    """Load one mutant as a plan file: what is wrong with how it was handled, if anything
    (an exception, a slow load, a message not in one FILE:LINE:COL line, raw control
    characters in a message)."""
    from improve.plans.loader import load_file

    path = folder / f"{mutant.name}.toml"
    path.write_bytes(mutant.data)
    started = time.process_time()
    try:
        loaded = load_file(path, folder)
    except BaseException as exc:  # the very thing that must not happen
        return [f"{mutant.name} {mutant.steps}: raised {exc!r}"]
    finally:
        took = time.process_time() - started
    wrong = []
    if took > limit:
        wrong.append(f"{mutant.name} {mutant.steps}: took {took:.1f} s")
    for problem in loaded.problems:
        text = str(problem)
        if not ONE_LINE.match(text) or RAW.search(text):
            wrong.append(f"{mutant.name} {mutant.steps}: message {text!r}")
    if loaded.plan is None and not loaded.errors:
        wrong.append(f"{mutant.name} {mutant.steps}: not loaded, and no error says why")
    path.unlink()
    return wrong


REPORT_FORMATS = ("html", "md", "csv", "xlsx", "docx")
# the damage a plan can take and still load: what reaches the renderers
LOADABLE = [escaped_text, edge_number, crlf, bom, swap_type]
SOUND = b"""[plan]
title = "Sound plan"
[[recommendation]]
ref = "1"
leads = ["Lead"]
  [[recommendation.action]]
  ref = "1.1"
  action = "Keep going"
  due = 2017-03-31
  percent = 40
"""


def check_report(
    folder: Path, mutant: Mutant, formats=REPORT_FORMATS, limit: float = 5.0
) -> tuple[list[str], bool]:
    """Report on a mutant that loads as a plan, beside a sound plan, in each of `formats`:
    what is wrong (an exception, a report over `limit` seconds, the sound plan left out,
    or the mutant left out by a renderer: a plan `check` passes must be reported), and
    whether the mutant loaded at all (only those reach the renderers)."""
    from datetime import date

    from improve import api
    from improve.report import render
    from improve.report.gather import make_report

    (folder / "sound.toml").write_bytes(SOUND)
    path = folder / f"{mutant.name}.toml"
    path.write_bytes(mutant.data)
    wrong: list[str] = []
    try:
        portfolio = api.load(folder)
        if mutant.name not in {p.file.stem for p in portfolio.plans}:
            return [], False
        for fmt in formats:
            report = make_report(portfolio, date(2017, 1, 5))
            started = time.process_time()
            try:
                render(report, fmt, folder, folder)
            except BaseException as exc:  # the very thing that must not happen
                wrong.append(f"{mutant.name} {mutant.steps}: {fmt} raised {exc!r}")
                continue
            took = time.process_time() - started
            if took > limit:
                wrong.append(f"{mutant.name} {mutant.steps}: {fmt} took {took:.1f} s")
            reported = {pr.plan.file.stem for pr in report.plans}
            if reported != {"sound", mutant.name}:
                wrong.append(
                    f"{mutant.name} {mutant.steps}: {fmt} reported {sorted(reported)}: "
                    + "; ".join(report.not_reported)
                )
    except BaseException as exc:
        wrong.append(f"{mutant.name} {mutant.steps}: loading or gathering raised {exc!r}")
    finally:
        path.unlink()
    return wrong, True
