"""A cold load of many files parses on every core (improve/plans/parallel.py): a share in
each forked process and one here. The result is the same as parsing all here, and
anything going wrong in a forked process (an error, being killed) means its share is
parsed here.

Run in a fresh process each: forking is only ever done from a process with one thread,
which the test runner may not be."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from helpers import SAMPLE, write

SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from improve.plans import folder, parallel
    from improve.speed.cache import PlanCache

    plans = Path(sys.argv[1])
    mode = sys.argv[2]
    serial = folder.load_folder(plans)
    parallel.PARALLEL_BYTES = 1  # parallel at any real size: the sizes are known, cache or not
    used = []
    theirs = set()
    real = parallel._fork_share

    def spy(items, root, board, k):
        used.append(len(items))
        theirs.update(path for path, _, _ in items)
        return real(items, root, board, k)

    parallel._fork_share = spy
    here = []
    real_here = parallel.parse_here

    def parsed_here(item, *rest):
        here.append(item[0])
        return real_here(item, *rest)

    parallel.parse_here = parsed_here
    if mode == "broken-worker":
        def boom(args):
            raise RuntimeError("a worker fails")
        parallel._parse_chunk = boom
    if mode == "killed-worker":
        import os, signal
        def killed(args):
            os.kill(os.getpid(), signal.SIGKILL)
        parallel._parse_chunk = killed
    if mode == "slow-worker":  # starts only once this process has taken two of its files
        import time
        real_chunk = parallel._parse_chunk
        def waiting(args):
            items, root, board, k = args
            deadline = time.monotonic() + 60
            while parallel._get(board, k, parallel.BACK) > len(items) - 2:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.001)
            return real_chunk(args)
        parallel._parse_chunk = waiting
    print("said once", flush=False)  # not yet flushed when the child is forked
    cache = PlanCache(plans / "cache.bin", plans, bytes(32)) if mode == "cache" else None
    shared = folder.load_folder(plans, cache=cache)
    same = [(f.path, f.plan, f.problems, f.fingerprint, f.stamp) for f in serial.files] == [
        (f.path, f.plan, f.problems, f.fingerprint, f.stamp) for f in shared.files
    ]
    if mode == "slow-worker":  # this process took files from the end of the other's share
        same = same and len(theirs & set(here)) >= 2
    if cache is not None:
        cache.save()
        again = PlanCache(plans / "cache.bin", plans, bytes(32))
        hits = folder.load_folder(plans, cache=again)
        same = same and again.hits == len(serial.files)  # every file, the broken one too
        same = same and [f.plan for f in hits.files] == [f.plan for f in serial.files]
    # a share parsed by another process, and one here
    print(len(used) >= 1 and 0 < sum(used) < len(serial.files), same)
    """
)


def run(plans: Path, mode: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(plans), mode],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    lines = out.stdout.splitlines()
    assert lines[0] == "said once" and lines.count("said once") == 1
    return "\n".join(lines[1:])


def folder_of_plans(tmp_path: Path) -> Path:
    plans = tmp_path / "plans"
    plans.mkdir()
    for n in range(5):
        write(plans, f"p{n}.toml", SAMPLE.replace("Sample improvement plan", f"Plan {n}"))
    write(plans, "broken.toml", '[plan]\ntitle = "Broken"\nkind = "nonsense"\n')
    write(plans, "dup.toml", SAMPLE.replace("[plan]", '[plan]\nid = "p1"'))
    return plans


def test_the_workers_parse_what_this_process_would(tmp_path):
    assert run(folder_of_plans(tmp_path), "plain") == "True True"


def test_a_failing_worker_means_parsing_here(tmp_path):
    assert run(folder_of_plans(tmp_path), "broken-worker") == "True True"


def test_a_worker_killed_means_parsing_here(tmp_path):
    assert run(folder_of_plans(tmp_path), "killed-worker") == "True True"


def test_this_process_takes_from_the_end_of_a_slow_share(tmp_path):
    assert run(folder_of_plans(tmp_path), "slow-worker") == "True True"


def test_what_the_workers_parsed_is_cached(tmp_path):
    assert run(folder_of_plans(tmp_path), "cache") == "True True"
