"""The cache is written (and signed) a chunk at a time (improve.speed.signed.chunks): the
chunks are the pieces joined, in order, no byte lost or added, and none much larger than
a chunk unless a piece itself is."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from improve.speed import signed


@given(st.lists(st.binary(max_size=40), max_size=60), st.integers(1, 64))
def test_the_chunks_are_the_pieces_joined(pieces, chunk):
    old = signed.CHUNK
    signed.CHUNK = chunk
    try:
        out = list(signed.chunks(pieces))
    finally:
        signed.CHUNK = old
    assert b"".join(out) == b"".join(pieces)
    biggest = max((len(p) for p in pieces), default=0)
    assert all(len(c) < chunk + max(biggest, 1) for c in out)
    assert all(out)  # no empty write


def test_memoryviews_are_joined_as_bytes():
    pieces: list[signed.Blob] = [memoryview(b"abc"), b"def", memoryview(b"g" * 10)]
    assert b"".join(signed.chunks(pieces)) == b"abcdefgggggggggg"
