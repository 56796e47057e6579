"""A return is a spreadsheet from many hands (issue 21 item 4): one that no return could be
(a cell at XFD1048576, a merge over the whole sheet, a zip bomb) is refused in one line,
at once, before the spreadsheet library reads it; nothing is applied."""

from __future__ import annotations

import time
import tracemalloc
import zipfile

import pytest

from helpers import clean_env, plans_folder, run_cli


@pytest.fixture
def made(tmp_path, monkeypatch):
    """A folder and one return made for its lead, as `improve returns make` writes it."""
    clean_env(monkeypatch, tmp_path)
    folder = plans_folder(tmp_path)
    r = run_cli(folder, "returns", "make", "-o", str(tmp_path / "out"))
    assert r.exit_code == 0, r.output
    (path,) = sorted((tmp_path / "out").glob("*.xlsx"))[:1]
    return folder, path


def _rewrite_sheet(path, change) -> None:
    """The return with its answer sheet's XML changed by `change` (as a hand would)."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = change(parts[sheet])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


@pytest.mark.parametrize(
    "hostile",
    [
        pytest.param(
            lambda x: x.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" '
                                b't="inlineStr"><is><t>x</t></is></c></row></sheetData>'),
            id="value-at-XFD1048576",
        ),
        pytest.param(
            lambda x: x.replace(b"</sheetData>", b'</sheetData><mergeCells count="1">'
                                b'<mergeCell ref="A200:XFD1048576"/></mergeCells>'),
            id="merge-over-the-sheet",
        ),
    ],
)  # fmt: skip
def test_a_return_no_return_could_be_is_refused_at_once(made, hostile):
    folder, path = made
    before = (folder / "sample.toml").read_bytes()
    _rewrite_sheet(path, hostile)
    tracemalloc.start()
    started = time.perf_counter()
    r = run_cli(folder, "returns", "apply", str(path))
    took = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert r.exit_code == 1, r.output
    assert took < 5 and peak < 200 * 1024 * 1024, (took, peak)
    (line,) = [x for x in r.output.splitlines() if x.startswith("improve:")]
    assert path.name in line and "nothing was applied" in line and "at most" in line
    assert (folder / "sample.toml").read_bytes() == before


def test_a_zip_bomb_sent_back_as_a_return_is_refused_unread(made, tmp_path):
    folder, path = made
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        with zipfile.ZipFile(path) as src:
            for info in src.infolist():
                z.writestr(info.filename, src.read(info.filename))
        z.writestr("xl/media/padding.bin", b"\0" * (120 * 1024 * 1024))
    r = run_cli(folder, "returns", "apply", str(bomb))
    assert r.exit_code == 1 and "unzips to" in r.output and "nothing was applied" in r.output
