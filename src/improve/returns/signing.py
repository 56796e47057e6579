"""What a return was made for, signed: so a return is applied only as it was made.

A return's hidden sheet says whose it is (the lead the changes are recorded as by) and,
row by row, which action each answer is for and the action's fingerprint then. All of it
is in the workbook the lead is sent, so all of it can be edited. Each row therefore
carries an HMAC-SHA256, under a key only this plans folder holds, over (the return's id,
its lead, the plan, the action's ref, its fingerprint), and the return one over (its
format, id, date made, lead, every row): a row whose lead, ref or fingerprint was edited,
or a row copied in from another return, or a return made by another plans folder, does
not match, and is refused.

The key is 32 random bytes, in hex, in `PLANS/.improve/returns.key`: made on the first
`improve returns make` (exclusively, mode 0600), never by `returns apply`, never written
over. It is in the plans folder (not beside `--db`) because it stands for the folder: whoever
shares the folder can make and apply its returns. `.improve/` is never committed (the team
guide's `.gitignore`), so each clone of a plans repository has a key of its own.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path

from ..errors import SourceError

KEY_DIR = ".improve"
KEY_NAME = "returns.key"
KEY_BYTES = 32


def key_path(plans: Path) -> Path:
    return Path(plans) / KEY_DIR / KEY_NAME


def _key_error(path: Path, why: str) -> SourceError:
    return SourceError(
        f"{path}: {why}; it signs the returns this folder makes (move it aside, then make "
        "the returns again with `improve returns make`)",
        code="returns-key",
    )


def read_key(plans: Path) -> bytes | None:
    """This folder's key; None when it has none yet; SourceError if it cannot be used."""
    path = key_path(plans)
    try:
        with open(path, "rb") as f:
            raw = f.read(4 * KEY_BYTES)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _key_error(path, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    try:
        key = bytes.fromhex(raw.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise _key_error(path, f"is not a returns key ({2 * KEY_BYTES} hex digits)")
    return key


def make_key(plans: Path) -> bytes:
    """This folder's key, made if it has none: written whole to a private temporary file,
    then linked into place, which fails if another run made one first (that one is used)."""
    import secrets
    import tempfile

    key = read_key(plans)
    if key is not None:
        return key
    path = key_path(plans)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{KEY_NAME}.", dir=path.parent)  # mode 0600
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(KEY_BYTES).hex().encode("ascii") + b"\n")
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another run made it first: use theirs
            except OSError:  # a file system without links: claim the name itself
                _write_exclusive(path, Path(tmp).read_bytes())
        finally:
            os.unlink(tmp)
    except OSError as exc:
        raise _key_error(path, f"cannot be made ({exc.strerror or type(exc).__name__})") from None
    key = read_key(plans)
    if key is None:  # pragma: no cover - made or found just above
        raise _key_error(path, "vanished as it was made")
    return key


def _write_exclusive(path: Path, data: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _mac(key: bytes, *parts: object) -> str:
    message = json.dumps(parts, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def key_id(key: bytes) -> str:
    """Which key signed a return, to say "another folder's" rather than "edited"; it
    says nothing of the key."""
    return _mac(key, "improve returns key")[:16]


def row_mac(key: bytes, return_id: str, lead: str, plan: str, ref: str, fingerprint: str) -> str:
    return _mac(key, "row", return_id, lead, plan, ref, fingerprint)


def return_mac(
    key: bytes, fmt: str, return_id: str, made_on: str, lead: str, rows: list[tuple[str, str, str]]
) -> str:
    """`rows`: (plan, ref, fingerprint) of each row, in order."""
    return _mac(key, "return", fmt, return_id, made_on, lead, [list(r) for r in rows])


def same(a: object, b: str) -> bool:
    """Whether a MAC read from a cell (anything) is the one expected."""
    return isinstance(a, str) and hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
