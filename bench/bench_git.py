"""History from commits at scale (issue 14), as ratios against floors measured in the
same run.

    .venv/bin/python bench/bench_git.py [--plans 200] [--actions 100] [--commits 5000]

Builds a plans repository: `--plans` synthetic plans (bench/generate.py) in one commit,
then `--commits` commits by ten authors over eighteen months, each changing one action's
percent in one plan (made with `git fast-import`, in seconds). Then measures:

- reading the whole log into a new history (a new clone's first run), against the floor
  of reading the same log and blobs with git and parsing every blob with tomllib alone;
- a run with nothing new to read, in the repository, against the same run on a copy of
  the folder outside git (target: the same, ≤ 1.1×);
- a run after one new commit (as after a pull), against the same change made by hand in
  the copy outside git.

Needs git and hyperfine. Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402
from run import IMPROVE, PY, Row, hyperfine, table  # noqa: E402

TODAY = "2018-07-01"
ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
_PERCENT = re.compile(r"^  percent = \d+$", re.M)

FLOOR = r"""
import subprocess, sys, tomllib
top = sys.argv[1]
log = subprocess.run(["git", "log", "--reverse", "--topo-order", "--no-merges", "--raw",
                      "--no-abbrev", "-z", "--format=%x1e%H", "--", "plans/*.toml"],
                     cwd=top, capture_output=True, check=True).stdout
ids = []
for record in log.split(b"\x1e")[1:]:
    tokens = record.partition(b"\x00")[2].lstrip(b"\n").split(b"\x00")
    for meta in tokens[0::2]:
        f = meta.split()
        if len(f) >= 5:
            ids.append(f[3].decode())
out = subprocess.run(["git", "cat-file", "--batch"], cwd=top, input="\n".join(ids).encode()
                     + b"\n", capture_output=True, check=True).stdout
at = 0
for _ in ids:
    end = out.index(b"\n", at)
    size = int(out[at:end].split()[2])
    tomllib.loads(out[end + 1 : end + 1 + size].decode())
    at = end + 2 + size
"""


BUMP = r"""
import pathlib, re, sys
p = pathlib.Path(sys.argv[1])
t = p.read_text()
n = int(re.search(r"^  percent = (\d+)$", t, re.M).group(1))
p.write_text(re.sub(r"^  percent = \d+$", "  percent = %d" % ((n + 1) % 101), t, count=1, flags=re.M))
"""


def git(top: Path, *args: str, data: bytes | None = None) -> None:
    subprocess.run(["git", *args], cwd=top, env=ENV, input=data, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def build(top: Path, plans: int, actions: int, commits: int) -> None:
    folder = top / "plans"
    paths = generate(folder, plans, actions)
    (top / ".gitignore").write_text(".improve/\n")
    git(top, "init", "-q", "-b", "main")
    git(top, "add", ".")
    git(top, "-c", "user.name=Perf Team", "-c", "user.email=perf@x.org", "commit", "-q",
        "-m", "The plans", "--date", "2016-12-31T09:00:00+00:00")  # fmt: skip
    texts = {p.name: p.read_text() for p in paths}
    starts = {name: [m.start() for m in _PERCENT.finditer(t)] for name, t in texts.items()}
    names = sorted(texts)
    out = bytearray()
    when = datetime(2017, 1, 2, 9, tzinfo=UTC)
    step = timedelta(days=540) / commits
    for n in range(commits):
        name = names[(n * 7919) % len(names)]
        text = texts[name]
        at = starts[name][(n * 31) % len(starts[name])]
        end = text.index("\n", at)
        new = f"  percent = {(n * 13) % 101}"
        text = text[:at] + new + text[end:]
        # every later percent line of this file moves by the change in length
        delta = len(new) - (end - at)
        starts[name] = [s + delta if s > at else s for s in starts[name]]
        texts[name] = text
        raw = text.encode()
        who = f"Lead {n % 10}"
        stamp = int(when.timestamp())
        message = f"{name} percent\n".encode()
        out += f"commit refs/heads/main\nauthor {who} <lead{n % 10}@x.org> {stamp} +0000\n".encode()
        out += f"committer {who} <lead{n % 10}@x.org> {stamp} +0000\n".encode()
        out += f"data {len(message)}\n".encode() + message
        if n == 0:
            out += b"from refs/heads/main^0\n"
        out += f"M 100644 inline plans/{name}\ndata {len(raw)}\n".encode() + raw + b"\n"
        when += step
    git(top, "fast-import", "--quiet", data=bytes(out))
    git(top, "reset", "-q", "--hard", "main")


def run(folder: Path, *args: str, env: dict | None = None) -> None:
    subprocess.run([IMPROVE, *args, "--plans", str(folder), "--today", TODAY],
                   env={**ENV, **(env or {})}, check=True, stdout=subprocess.DEVNULL)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plans", type=int, default=200)
    ap.add_argument("--actions", type=int, default=100)
    ap.add_argument("--commits", type=int, default=5000)
    a = ap.parse_args()
    subprocess.run([PY, "-m", "compileall", "-q", str(HERE.parent / "src" / "improve")], check=True)
    rows: list[Row] = []
    os.environ.update({"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})
    with tempfile.TemporaryDirectory(prefix="improve-bench-git-") as tmp_name:
        tmp = Path(tmp_name)
        os.environ["XDG_CACHE_HOME"] = str(tmp / "xdg")
        top = tmp / "council"
        t = time.perf_counter()
        build(top, a.plans, a.actions, a.commits)
        print(f"built {a.commits} commits in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        label = f"{a.commits:,} commits over {a.plans} plans of {a.actions} actions"

        floor_script = tmp / "floor.py"
        floor_script.write_text(FLOOR)
        t = time.perf_counter()
        subprocess.run([PY, str(floor_script), str(top)], check=True)
        floor = time.perf_counter() - t
        t = time.perf_counter()
        run(top / "plans", "status")
        whole = time.perf_counter() - t
        rows.append(Row("git", f"a new history from the whole log, {label}", whole,
                        "git log + cat-file + tomllib parse", floor, ""))  # fmt: skip

        # the same folder, and its history, outside git: "today's sync"
        outside = tmp / "outside"
        shutil.copytree(top / "plans", outside)
        run(outside, "status")
        run(top / "plans", "status")
        floor_q, quiet = hyperfine(
            f"{IMPROVE} status --plans {outside} --today {TODAY}",
            f"{IMPROVE} status --plans {top / 'plans'} --today {TODAY}",
            runs=15,
        )
        rows.append(Row("git", "status with nothing new to read, in git", quiet,
                        "the same outside git", floor_q, "≤ 1.1×"))  # fmt: skip

        # one change: by a commit (as a pull brings it) against by hand outside git
        name = "plan-000.toml"
        (tmp / "bump.py").write_text(BUMP)
        bump = f"{PY} {tmp / 'bump.py'}"
        commit = (f"cd {top} && {bump} plans/{name} && git -c user.name=L -c user.email=l@x "
                  f"commit -q -am step")  # fmt: skip
        floor_c, one = hyperfine(
            f"{IMPROVE} status --plans {outside} --today {TODAY}",
            f"{IMPROVE} status --plans {top / 'plans'} --today {TODAY}",
            runs=10,
            prepare=f"{bump} {outside / name}; {commit}",
        )
        rows.append(Row("git", "status after one new commit", one,
                        "the same change by hand, outside git", floor_c, ""))  # fmt: skip
    print(table(rows))


if __name__ == "__main__":
    main()
