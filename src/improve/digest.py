"""BLAKE2, without hashlib's OpenSSL (whose loading costs every command ~5 ms), and the
fingerprint of a file's bytes: a module of its own, so what only needs a digest (the
cache, a file's write) does not import the model with the loader."""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python: the same function, via hashlib
    from hashlib import blake2b

__all__ = ["blake2b", "fingerprint"]


def fingerprint(raw: bytes) -> str:
    return blake2b(raw, digest_size=16).hexdigest()
