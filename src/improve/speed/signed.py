"""Files signed with the user's own key: the key itself, made once in the user's cache
folder (`$XDG_CACHE_HOME/improve/`, else `~/.cache/improve/`) and readable by the user
alone; keyed BLAKE2b signatures, compared in constant time; a private temporary file to
write into; and a file's pieces written (and signed) a megabyte at a time. The plan cache
(cache.py) is written so: a plans folder is often shared, and a cache file someone else
wrote is never unpickled, only replaced."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..digest import blake2b

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

Blob = bytes | memoryview
KEY_SIZE = 32
MAC_SIZE = 32


def key_folder(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "improve"


def user_key(folder: Path | None = None) -> bytes | None:
    """This user's signing key, made on first use (readable by the user alone); None when
    it can be neither read nor made (then nothing is cached)."""
    folder = key_folder() if folder is None else folder
    path = folder / "cache-key"
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = b""
    except OSError:
        return None
    if len(key) == KEY_SIZE:
        return key
    if key:
        return None  # not a key of ours: left alone, and nothing is cached
    import tempfile  # the first run only: the key is made once

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".cache-key.")
        try:
            os.write(fd, os.urandom(KEY_SIZE))
            os.close(fd)
            try:
                os.link(tmp, path)  # never over a key another run made meanwhile
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == KEY_SIZE else None


def same(a: Blob, b: bytes) -> bool:
    """Compared in constant time (hmac's compare_digest, without importing OpenSSL)."""
    import _operator  # CPython's, where hmac.compare_digest comes from without OpenSSL

    return _operator._compare_digest(bytes(a), b)


def sign(key: bytes, body: bytes | memoryview) -> bytes:
    return blake2b(body, key=key, digest_size=MAC_SIZE).digest()


def private_temp(folder: Path) -> tuple[int, str]:
    """A new file of our own (0600) for the cache to be written into, named
    `.cache.XXXXXXXX.tmp`: tempfile.mkstemp's promise, without importing tempfile (and
    shutil and random with it) in every run that writes the cache (issue 27: start-up)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        name = os.path.join(folder, f".cache.{os.urandom(4).hex()}.tmp")
        try:
            return os.open(name, flags | getattr(os, "O_CLOEXEC", 0), 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free name for a temporary file in {folder}")


CHUNK = 1 << 20  # bytes written (and signed) at a time


def chunks(pieces: Iterable[Blob]) -> Iterator[Blob]:
    """`pieces` joined into runs of about CHUNK bytes: a write and a signature's update
    cost a few microseconds each, and a cache is tens of thousands of small pieces; a
    piece as large as a chunk is passed on as it is. Never more than a chunk is copied."""
    run: list[Blob] = []
    size = 0
    for piece in pieces:
        if len(piece) >= CHUNK:
            if size:
                yield b"".join(run)
                run, size = [], 0
            yield piece
            continue
        run.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield b"".join(run)
            run, size = [], 0
    if size:
        yield b"".join(run)


def write(path: Path, key: bytes, magic: bytes, head: bytes, blobs: Iterable[Blob]) -> bool:
    """A signed file, replacing `path` atomically: `magic`, the head's length (8 bytes),
    the head, the blobs one after another, then the signature of all before it; written a
    chunk at a time, signed as it goes. False when the folder cannot be written."""
    mac = blake2b(key=key, digest_size=MAC_SIZE)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = private_temp(path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                for piece in chunks((magic, len(head).to_bytes(8, "big"), head, *blobs)):
                    out.write(piece)
                    mac.update(piece)
                out.write(mac.digest())
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return False
    return True


def read(path: Path, key: bytes, magic: bytes) -> tuple[memoryview, memoryview, int] | None:
    """(the head, the body before the signature, where the blobs start in it) of a file
    `write` made with this key and magic; None when it cannot be read or this key did not
    sign it (another user's, or damaged: never to be unpickled). Nothing is copied."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    start = len(magic) + 8
    if len(raw) < start + MAC_SIZE or not raw.startswith(magic):
        return None
    view = memoryview(raw)
    body, mac = view[:-MAC_SIZE], view[-MAC_SIZE:]
    if not same(mac, sign(key, body)):
        return None
    at = start + int.from_bytes(body[len(magic) : start], "big")
    return body[start:at], body, at
