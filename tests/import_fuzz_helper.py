"""A mutation fuzzer over documents to import (issue 21 item 4): the Word, Excel and CSV
documents of tests/import_docs.py, damaged byte by byte (in the file, or in one XML part of
a .docx or .xlsx, zipped again) and structurally, as the attack did (a far cell and a huge
dimension, a merge over the whole sheet, a zip bomb, many rows, a cell spanning a billion
columns, a cell merged down from nowhere, a DTD, UTF-16). Used by tests/test_import_fuzz.py
(a quick run in the suite) and bench/fuzz.py --imports (a long one)."""

from __future__ import annotations

import random
import re
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import hostile_docs as h
from fuzz_helper import bad_utf8, control, crlf, delete, flip, truncate
from import_docs import send_xlsx, telford_docx, tracker_csv

# the limits a run lowers to (so a hostile document stays small): improve.importing.limits
LOW = {
    "MAX_ROWS": 300,
    "MAX_COLUMNS": 40,
    "MAX_CELLS": 6_000,
    "MAX_BYTES": 4 * 1024 * 1024,
    "RATIO_FROM": 256 * 1024,
    "MAX_ELEMENTS": 60_000,
    "MAX_SHEET_ELEMENTS": 30_000,
    "MAX_MERGES": 500,
    "MAX_LINE": 20_000,
}


def lower_limits(setattr_: Callable[[object, str, object], None]) -> None:
    """Lower every limit, with `monkeypatch.setattr` (or plain setattr in a bench run)."""
    from improve.importing import limits

    for name, value in LOW.items():
        setattr_(limits, name, value)


def seeds(folder: Path) -> dict[str, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    made = [telford_docx(folder / "seed.docx"), send_xlsx(folder / "seed.xlsx"),
            tracker_csv(folder / "seed.csv")]  # fmt: skip
    return {p.suffix: p.read_bytes() for p in made}


# -- mutations of a zip's XML parts --------------------------------------------------------


def _parts(data: bytes) -> list[tuple[str, bytes]]:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def _zip(parts: list[tuple[str, bytes]]) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(name, data)
    return out.getvalue()


def _main_part(data: bytes) -> str:
    names = [n for n, _ in _parts(data)]
    return "word/document.xml" if "word/document.xml" in names else h.SHEET


def in_part(mutate: Callable[[bytes, random.Random], bytes]):
    """`mutate` applied to one XML part of a zip (its main part, half the time)."""

    def mutated(data: bytes, rng: random.Random) -> bytes:
        parts = _parts(data)
        xml = [k for k, (n, d) in enumerate(parts) if n.endswith((".xml", ".rels")) and d]
        main = _main_part(data)
        k = next(k for k, (n, _) in enumerate(parts) if n == main)
        if rng.random() < 0.5:
            k = rng.choice(xml)
        name, body = parts[k]
        parts[k] = (name, mutate(body, rng))
        return _zip(parts)

    mutated.__name__ = f"part_{mutate.__name__}"
    return mutated


def _edit(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    return _zip([(n, change(d) if n == part else d) for n, d in _parts(data)])


def far_cell(data: bytes, rng: random.Random) -> bytes:
    ref = rng.choice([b"XFD1048576", b"A1048576", b"XFD1", b"AP3", b"A301"])
    cell = b'<row r="%s"><c r="%s" t="inlineStr"><is><t>x</t></is></c></row>' % (
        re.sub(rb"[A-Z]", b"", ref), ref)  # fmt: skip
    dim = b'<dimension ref="A1:XFD1048576"/>'
    return _edit(data, h.SHEET, lambda d: re.sub(rb"<dimension [^>]*/>", dim, d)
                 .replace(b"</sheetData>", cell + b"</sheetData>"))  # fmt: skip


def huge_merge(data: bytes, rng: random.Random) -> bytes:
    ref = rng.choice([b"A1:XFD1048576", b"A5:XFD5", b"B2:C1048576", b"A1:A1", b"Z9:A1"])
    merge = b'<mergeCells count="2"><mergeCell ref="%s"/><mergeCell ref="%s"/></mergeCells>'
    merge %= (ref, ref)  # overlapping too
    return _edit(data, h.SHEET, lambda d: re.sub(rb"<mergeCells.*?</mergeCells>", b"", d)
                 .replace(b"</sheetData>", b"</sheetData>" + merge))  # fmt: skip


def bomb(data: bytes, rng: random.Random) -> bytes:
    parts = _parts(data)
    zeros = b"<x>" + b"0" * rng.choice([300_000, 5_000_000]) + b"</x>"
    part = rng.choice([p for p, _ in parts if p.endswith(".xml")])
    return _zip([(n, zeros if n == part else d) for n, d in parts])


def many_rows(data: bytes, rng: random.Random) -> bytes:
    n = rng.choice([290, 310, 3_000])
    if _main_part(data) == h.SHEET:
        rows = b"".join(b'<row r="%d"><c r="B%d"><v>%d</v></c></row>' % (r, r, r)
                        for r in range(100, 100 + n))  # fmt: skip
        return _edit(data, h.SHEET, lambda d: d.replace(b"</sheetData>", rows + b"</sheetData>"))
    tr = b"<w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr>"
    return _edit(data, h.DOCUMENT, lambda d: d.replace(b"</w:tbl>", tr * n + b"</w:tbl>", 1))


def word_spans(data: bytes, rng: random.Random) -> bytes:
    if _main_part(data) != h.DOCUMENT:
        return far_cell(data, rng)
    what = rng.choice([
        b'<w:gridSpan w:val="%d"/>' % rng.choice([2, 39, 41, 10**9, -5]),
        b'<w:gridSpan w:val="many"/>', b"<w:vMerge/>", b'<w:vMerge w:val="restart"/>',
    ])  # fmt: skip
    return _edit(data, h.DOCUMENT, lambda d: d.replace(b"<w:tc><w:tcPr>", b"<w:tc><w:tcPr>" + what))


def dtd(data: bytes, rng: random.Random) -> bytes:
    part = _main_part(data)
    decl = b'<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    return _edit(data, part, lambda d: re.sub(rb"(<\?xml[^>]*\?>)", rb"\1" + decl, d, count=1))


ZIP_MUTATORS: list[Callable[[bytes, random.Random], bytes]] = [
    flip, truncate, in_part(flip), in_part(delete), in_part(truncate), in_part(control),
    in_part(bad_utf8), far_cell, huge_merge, bomb, many_rows, word_spans, dtd,
]  # fmt: skip


# -- mutations of a CSV file ----------------------------------------------------------------


def csv_rows(data: bytes, rng: random.Random) -> bytes:
    line = data.splitlines(keepends=True)[-1]
    return data + line * rng.choice([250, 400])


def csv_wide(data: bytes, rng: random.Random) -> bytes:
    return data + b"x" + b"," * rng.choice([30, 45, 100_000]) + rng.choice([b"y\n", b"\n"])


def csv_long(data: bytes, rng: random.Random) -> bytes:
    return data + b'"' + b"x" * rng.choice([19_000, 25_000, 200_000]) + rng.choice([b'"\n', b""])


def utf16(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace").replace(",", rng.choice([",", "\t"]))
    return text.encode(rng.choice(["utf-16", "utf-16-le", "utf-16-be"]))


def odd_quotes(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + rng.choice([b'"', b'""', b"\r", b"\x00", b";"]) + data[i:]


CSV_MUTATORS: list[Callable[[bytes, random.Random], bytes]] = [
    flip, truncate, delete, bad_utf8, control, crlf, csv_rows, csv_wide, csv_long, utf16,
    odd_quotes,
]  # fmt: skip


@dataclass
class Mutant:
    name: str
    path: Path
    steps: list[str]


def import_mutants(count: int, folder: Path, seed: int = 21) -> Iterator[Mutant]:
    """`count` mutants written into `folder` (each replaces the one before's file)."""
    rng = random.Random(seed)
    originals = seeds(folder / "seeds")
    for k in range(count):
        suffix = [".docx", ".xlsx", ".csv"][k % 3]
        data = originals[suffix]
        steps = []
        mutators = CSV_MUTATORS if suffix == ".csv" else ZIP_MUTATORS
        for _ in range(rng.randint(1, 2)):
            mutate = rng.choice(mutators)
            try:
                data = mutate(data, rng) if data else data
            except Exception:
                pass  # a zip already broken by the step before: leave it so
            steps.append(mutate.__name__)
        path = folder / f"m{k:05d}{suffix}"
        path.write_bytes(data)
        yield Mutant(path.name, path, steps)


def check_import(mutant: Mutant, limit: float = 2.0, memory: int = 60 << 20) -> list[str]:
    """Import one mutant: what is wrong with how it was handled, if anything (an exception
    that is not the file's own error, one over `limit` seconds of CPU or `memory` bytes of Python
    memory at its peak, a message not one line naming the file)."""
    from improve.errors import SourceError
    from improve.importing import import_plan

    plans = mutant.path.parent / "plans"
    plans.mkdir(exist_ok=True)
    tracemalloc.start()
    # the CPU this process spent, not the wall clock: on a busy machine (CI's two cores
    # shared with other jobs) the wall clock runs on while this waits for a core
    started = time.process_time()
    wrong = []
    try:
        import_plan(mutant.path, plans, today=date(2017, 1, 5), plan_id="fuzzed")
    except SourceError as exc:
        text = str(exc)
        if "\n" in text or not (text.startswith(mutant.name) or text.startswith('"')):
            wrong.append(f"{mutant.name} {mutant.steps}: message {text[:200]!r}")
    except BaseException as exc:  # the very thing that must not happen
        wrong.append(f"{mutant.name} {mutant.steps}: raised {exc!r:.300}")
    finally:
        took = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    if took > limit:
        wrong.append(f"{mutant.name} {mutant.steps}: took {took:.1f} s")
    if peak > memory:
        wrong.append(f"{mutant.name} {mutant.steps}: peak {peak >> 20} MB")
    return wrong
