"""Where the history database is: a network file system, where SQLite's WAL is not safe.

WAL mode shares its index through memory-mapped files, which NFS, SMB/CIFS and FUSE
mounts do not keep consistent between machines: two people writing the history on a
shared drive could damage it. There the store uses SQLite's rollback journal instead
(slower when several people write at once, safe everywhere). The file system is read
from /proc/self/mountinfo (Linux); elsewhere, or when it cannot be read, it is taken as
local. IMPROVE_NETWORK_FS=1 (or 0) says it instead.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

# file system types where WAL's shared memory is not shared: network and FUSE mounts
NETWORK = frozenset(
    {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph",
     "glusterfs", "lustre", "gpfs", "davfs", "davfs2", "sshfs", "vboxsf", "prl_fs", "vmhgfs"}
)  # fmt: skip


def _unescape(field: str) -> str:
    """mountinfo writes a space, tab, newline and backslash as octal escapes (\\040 …)."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and field[i + 1 : i + 4].isdigit():
            out.append(chr(int(field[i + 1 : i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def filesystem(path: Path) -> str | None:
    """The type of the file system `path` is on (its nearest existing folder's), from
    /proc/self/mountinfo; None when that cannot be told."""
    p = Path(os.path.abspath(path))
    while not p.exists() and p != p.parent:
        p = p.parent
    try:
        mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return mounted_on(os.path.realpath(p), mountinfo)


def mounted_on(real: str, mountinfo: str) -> str | None:
    """The type of the deepest mount in `mountinfo` holding the absolute path `real`."""
    best, kind = "", None
    for line in mountinfo.splitlines():
        parts = line.split(" ")
        if "-" not in parts or len(parts) < 7:
            continue
        mount = _unescape(parts[4])
        dash = parts.index("-")
        if dash + 1 >= len(parts):
            continue
        inside = real == mount or real.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, kind = mount, parts[dash + 1]
    return kind


def network_fs(path: Path, env: Mapping[str, str] | None = None) -> str | None:
    """The kind of file system `path` is on when WAL is not safe there, else None."""
    env = os.environ if env is None else env
    said = env.get("IMPROVE_NETWORK_FS", "").strip().lower()
    if said in ("1", "yes", "true", "on"):
        return "network (IMPROVE_NETWORK_FS=1)"
    if said in ("0", "no", "false", "off"):
        return None
    kind = filesystem(path)
    if kind is None:
        return None
    if kind in NETWORK or kind.startswith("fuse") or kind.split(".")[0] in NETWORK:
        return kind
    return None
