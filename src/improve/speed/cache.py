"""A cache of parsed plans that never lies.

Parsing is most of what every command costs, and most runs read files that have not
changed since the last one. So each plan file, once parsed and checked, is kept (the plan
as built, and its errors) in one file under the history folder:

    <history folder>/cache/<folder digest>-<key id>.bin

An entry is used only when the file's size, modification and change times (in
nanoseconds), inode and device are all the same as when it was read, when the cache was
written by this same version of improve (its code, not just its number), and, for a file
changed within two seconds of being read (when a second edit could leave its times
unchanged), when the bytes on disk still hash to what was parsed. Anything else, any doubt,
means the file is parsed again. A damaged cache, a cache from another version, one this
user's key did not sign, or a folder that cannot be written is simply not used: never an
error.

The parsed plans (pickled) are in a file of their own beside it (`….plans.bin`), read
only when a plan is unpickled: a run answered from the day's memos (improve.speed.dayview) reads
the index and the memos alone, not megabytes of plans. The two files are tied by a token
the index names; a plans file of another token is not used.

The cache is signed (keyed BLAKE2b) with a key kept in the user's own cache folder
(`$XDG_CACHE_HOME/improve/`, else `~/.cache/improve/`), and only unpickled once the
signature is checked: a plans folder is often shared (a network drive, a git clone), and
a cache file someone else wrote is never loaded, only replaced with this user's own.
"""

from __future__ import annotations

import marshal
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .. import __version__
from ..digest import blake2b
from . import signed
from .signed import Blob as Blob
from .signed import key_folder as key_folder  # where the user's key is: signed.py
from .signed import user_key as user_key

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..plans.loader import LoadedFile

_T = TypeVar("_T")

FORMAT = 4
MAGIC = b"improve-plan-cache\n"
MAGIC_JSON = b"improve-plan-cache-json\n"
MAGIC_PLANS = b"improve-plan-cache-plans\n"
RACY_NS = 2_000_000_000  # a file changed this close to being read is checked by its bytes

StatKey = tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device
# what the rules said of the file's plan on one day (improve.status.memo): (day as an ordinal,
# the summary, the status JSON or None until a `status --json` made it)
Memo = tuple[int, Blob, Blob | None]
# in the file: name → (stat key, fingerprint, settled, the pickled (plan, problems), or
# None while it is still in the plans file unread, the plan's id or "" when it has errors,
# the memo or None)
Entry = tuple[StatKey, str, bool, Blob | None, str, Memo | None]


def stat_key(st: os.stat_result) -> StatKey:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


_version: str | None = None
# the folders of the code that makes what the cache keeps: a change to any of them is
# another version
CODE_FOLDERS = ("", "plans", "status", "speed", "edits", "team")


def code_version() -> str:
    """improve's version and a stamp of its core modules' files: a cache written by other
    code (another release, or an edited checkout) is never read."""
    global _version
    if _version is None:
        package = Path(__file__).parent.parent
        parts = [__version__, str(FORMAT)]
        for folder in CODE_FOLDERS:
            with os.scandir(package / folder) as entries:
                for e in sorted(entries, key=lambda e: e.name):
                    if e.name.endswith(".py"):
                        st = e.stat()
                        parts.append(f"{folder}/{e.name}:{st.st_size}:{st.st_mtime_ns}")
        _version = blake2b("|".join(parts).encode(), digest_size=16).hexdigest()
    return _version


class PlanCache:
    """The parsed plans of one folder, for one user. `get` what is still true, `put`
    what was parsed, `save` once at the end (only if anything changed)."""

    def __init__(self, path: Path, root: Path, key: bytes) -> None:
        self.path = path
        self.root = os.path.realpath(root)
        self.key = key
        self.entries: dict[str, Entry] = {}
        self.kept: dict[str, Entry] = {}  # what the next save writes: the files seen now
        self.dirty = False
        self.hits = 0
        self.misses = 0
        # the memos' JSON, in a file of its own (read only by a `status --json`): name →
        # (fingerprint, day, blob); None until read
        self.json_path = path.with_name(path.stem + ".json.bin")
        self._json: dict[str, tuple[str, int, Blob]] | None = None
        self._json_dirty = False
        # the pickled plans, in a file of their own: name → (fingerprint, blob); None until
        # read. `token` ties it to the index that names it.
        self.plans_path = path.with_name(path.stem + ".plans.bin")
        self._plans: dict[str, tuple[str, Blob]] | None = None
        self.token = b""
        # saved once, by the caller, after the day's memos are added (dayview.open_day
        # hands a held cache to the full run; dayview.remember saves it): not by the load
        self.held = False
        self._read()

    @classmethod
    def for_folder(cls, plans: Path, history_folder: Path) -> PlanCache | None:
        key = user_key()
        if key is None:
            return None
        root = os.path.realpath(plans)
        digest = blake2b(root.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
        key_id = blake2b(key, digest_size=4).hexdigest()
        return cls(history_folder / "cache" / f"{digest}-{key_id}.bin", Path(root), key)

    def _read(self) -> None:
        """The file: MAGIC, the index's length (8 bytes) and the index (marshal: format,
        code version, folder, and per file its name, stat key, fingerprint, settled and
        blob length), the blobs one after another, then the signature of all before it.
        The blobs stay slices of the bytes read: nothing is copied."""
        found = signed.read(self.path, self.key, MAGIC)
        if found is None:
            return  # not there, another user's, or damaged: never unpickled
        head, body, at = found
        try:
            fmt, version, root, token, index = marshal.loads(head)
            if fmt != FORMAT or version != code_version() or root != self.root:
                return
            entries: dict[str, Entry] = {}
            for name, key, fp, settled, plan_id, day, n_sum, n_json in index:
                memo: Memo | None = None
                if day:
                    summary = body[at : at + n_sum]
                    at += n_sum
                    js = body[at : at + n_json] if n_json >= 0 else None
                    at += max(n_json, 0)
                    memo = (day, summary, js)
                entries[name] = (tuple(key), fp, settled, None, plan_id, memo)
        except Exception:  # signed by us but unreadable: parse everything again
            return
        if at == len(body):
            self.entries, self.token = entries, token

    def _valid(self, path: Path, st: os.stat_result) -> Entry | None:
        """The entry for this file if it is still certainly what the file holds."""
        from ..digest import fingerprint

        entry = self.entries.get(path.name)
        if entry is None or entry[0] != stat_key(st):
            return None
        if not entry[2]:  # changed close to when it was read: trust only its bytes
            try:
                same = fingerprint(path.read_bytes()) == entry[1]
            except OSError:
                same = False
            if not same:
                return None
            if _settled(st, time.time_ns()):
                entry = (entry[0], entry[1], True, *entry[3:])
                self.dirty = True
        return entry

    def peek(self, path: Path, st: os.stat_result) -> Entry | None:
        """The entry, still valid, without unpickling its plan (the memo is read instead)."""
        entry = self._valid(path, st)
        return self._counted(path.name, entry, entry)

    def get(self, path: Path, st: os.stat_result) -> LoadedFile | None:
        """The file as loaded before, if that is still certainly what it holds; else None."""
        entry = self._valid(path, st)
        return self._counted(
            path.name, entry, None if entry is None else self.unpickle(path, entry, st)
        )

    def _counted(self, name: str, entry: Entry | None, found: _T | None) -> _T | None:
        """`found` (what `entry` gives) counted as a hit, and the entry kept for this run;
        None counted as a miss."""
        if entry is None or found is None:
            self.misses += 1
            return None
        self.kept[name] = entry
        self.hits += 1
        return found

    def unpickle(self, path: Path, entry: Entry, st: os.stat_result) -> LoadedFile | None:
        """The LoadedFile an entry holds, or None when it cannot be read back."""
        from ..plans.loader import LoadedFile, display_name, stamp_of, unpickled

        blob = self._blob(path.name, entry)
        if blob is None:
            return None
        try:
            plan, problems = unpickled(blob, path)
        except Exception:
            return None
        if problems:  # named as a user would type it from here (the cwd may differ)
            name = display_name(path)
            problems = [p if p.file == name else replace(p, file=name) for p in problems]
        return LoadedFile(path, plan, problems, entry[1], stamp_of(st))

    def memo(self, name: str, day: int, fingerprint: str, *, json: bool = False) -> Memo | None:
        """What the rules said of this file's plan on `day`, if kept for these bytes (with
        its JSON, when `json` and it was kept)."""
        entry = self.kept.get(name)
        if entry is None or entry[1] != fingerprint or entry[5] is None:
            return None
        memo = entry[5]
        if memo[0] != day:
            return None
        if not json:
            return memo
        kept = self._json_entries().get(name)
        js = kept[2] if kept is not None and kept[:2] == (fingerprint, day) else None
        return (memo[0], memo[1], js)

    def remember(self, name: str, fingerprint: str, memo: Memo) -> None:
        """Keep what the rules said on a day, beside the file's plan (for these bytes only:
        a file that changed since it was read keeps nothing)."""
        entry = self.kept.get(name)
        if entry is None or entry[1] != fingerprint:
            return
        day, summary, js = memo
        old = entry[5]
        if old is None or old[0] != day:
            self.kept[name] = (*entry[:5], (day, summary, None))
            self.dirty = True
        if js is not None:
            entries = self._json_entries()
            if entries.get(name, ("", 0))[:2] != (fingerprint, day):
                entries[name] = (fingerprint, day, js)
                self._json_dirty = True

    def _blob(self, name: str, entry: Entry) -> Blob | None:
        """An entry's pickled plan: in memory, or read from the plans file (the one of
        this index's token, with these bytes' fingerprint); else None."""
        if entry[3] is not None:
            return entry[3]
        if self._plans is None:
            self._plans = {}
            found = _read_signed(self.plans_path, self.key, MAGIC_PLANS)
            if found is not None and self.token and found[0] == (self.root, self.token):
                _, index, body, at = found
                for kept_name, fp, length in index:
                    self._plans[kept_name] = (fp, body[at : at + length])
                    at += length
        kept = self._plans.get(name)
        return kept[1] if kept is not None and kept[0] == entry[1] else None

    def _json_entries(self) -> dict[str, tuple[str, int, Blob]]:
        if self._json is None:
            self._json = {}
            found = _read_signed(self.json_path, self.key, MAGIC_JSON)
            if found is not None:
                root, index, body, at = found
                if root == self.root:
                    for name, fp, day, length in index:
                        self._json[name] = (fp, day, body[at : at + length])
                        at += length
        return self._json

    def put(
        self, path: Path, st: os.stat_result, loaded: LoadedFile, blob: bytes | None = None
    ) -> None:
        """Keep a file just parsed; `st` is its stat from before it was read; `blob`, its
        (plan, problems) pickled already (by a worker that parsed it)."""
        if not loaded.fingerprint:
            return  # not read (a link outside, too big, unreadable): nothing to keep
        if blob is None:
            from ..plans.loader import pickled

            try:
                blob = pickled(loaded.plan, loaded.problems)
            except Exception:
                return
        settled = _settled(st, time.time_ns())
        plan_id = loaded.plan.id if loaded.plan is not None else ""
        self.kept[path.name] = (stat_key(st), loaded.fingerprint, settled, blob, plan_id, None)
        self.dirty = True

    def save(self) -> None:
        """Write what was seen in this run, if anything changed; silently not at all when
        the folder cannot be written. Written a megabyte at a time (never the whole file
        in memory twice), signed as it goes. A `held` cache is not written yet."""
        if self.held:
            return
        if self._json_dirty and self._json is not None:
            keep = {
                name: v
                for name, v in self._json.items()
                if name in self.kept and self.kept[name][1] == v[0]
            }
            listed = [(name, fp, day, len(blob)) for name, (fp, day, blob) in keep.items()]
            blobs = [blob for _fp, _day, blob in keep.values()]
            if _write_signed(self.json_path, self.key, MAGIC_JSON, (self.root, listed), blobs):
                self._json_dirty = False
        if not self.dirty and self.kept.keys() == self.entries.keys():
            return
        if not self._save_plans():
            return
        index = [
            (name, e[0], e[1], e[2], e[4], *_memo_sizes(e[5])) for name, e in self.kept.items()
        ]
        head = marshal.dumps((FORMAT, code_version(), self.root, self.token, index))
        memos = (b for e in self.kept.values() if e[5] is not None
                 for b in (e[5][1], e[5][2] or b""))  # fmt: skip
        if not signed.write(self.path, self.key, MAGIC, head, memos):
            return
        self.entries = dict(self.kept)
        self.dirty = False

    def _save_plans(self) -> bool:
        """Write the plans file anew (with a new token) when a plan was parsed in this run;
        else the one the index names is kept as it is (an entry no longer seen stays in it
        unread until the next parse). False when it could not be written."""
        if self.token and all(e[3] is None for e in self.kept.values()):
            return True
        blobs: dict[str, tuple[str, Blob]] = {}
        for name, e in self.kept.items():
            blob = self._blob(name, e)
            if blob is None:  # unreadable now: that file is parsed again next time
                continue
            blobs[name] = (e[1], blob)
        self.kept = {name: e for name, e in self.kept.items() if name in blobs}
        token = os.urandom(16)
        listed = [(name, fp, len(blob)) for name, (fp, blob) in blobs.items()]
        pieces = [blob for _fp, blob in blobs.values()]
        if not _write_signed(self.plans_path, self.key, MAGIC_PLANS, ((self.root, token), listed),
                             pieces):  # fmt: skip
            return False
        self.token, self._plans = token, blobs
        self.kept = {name: (*e[:3], None, *e[4:]) for name, e in self.kept.items()}
        return True


def _read_signed(
    path: Path, key: bytes, magic: bytes
) -> tuple[Any, list[tuple[Any, ...]], memoryview, int] | None:
    """(what was written as the head, the index, the body, where the blobs start) of a
    file `_write_signed` wrote with this key, for this code; else None. What was written
    is marshal's, read back from disk: its shape is the writer's, checked by the caller."""
    found = signed.read(path, key, magic)
    if found is None:
        return None
    head, body, at = found
    try:
        fmt, version, (root, index) = marshal.loads(head)
    except Exception:
        return None
    if fmt != FORMAT or version != code_version():
        return None
    if at + sum(entry[-1] for entry in index) != len(body):
        return None
    return root, index, body, at


def _write_signed(
    path: Path, key: bytes, magic: bytes, head_obj: tuple[Any, ...], blobs: Iterable[Blob]
) -> bool:
    head = marshal.dumps((FORMAT, code_version(), head_obj))
    return signed.write(path, key, magic, head, blobs)


def _memo_sizes(memo: Memo | None) -> tuple[int, int, int]:
    if memo is None:
        return 0, 0, -1
    return memo[0], len(memo[1]), -1 if memo[2] is None else len(memo[2])


def _settled(st: os.stat_result, now_ns: int) -> bool:
    return max(st.st_mtime_ns, st.st_ctime_ns) < now_ns - RACY_NS
