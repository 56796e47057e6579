"""A cold load of many files parses on every core (improve/plans/folder.py): a share in
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
    from improve.plans import folder
    from improve.speed.cache import PlanCache

    plans = Path(sys.argv[1])
    mode = sys.argv[2]
    serial = folder.load_folder(plans)
    folder.PARALLEL_BYTES = 1  # parallel at any real size: the sizes are known, cache or not
    used = []
    real = folder._fork_share

    def spy(items, root):
        used.append(len(items))
        return real(items, root)

    folder._fork_share = spy
    if mode == "broken-worker":
        def boom(args):
            raise RuntimeError("a worker fails")
        folder._parse_chunk = boom
    if mode == "killed-worker":
        import os, signal
        def killed(args):
            os.kill(os.getpid(), signal.SIGKILL)
        folder._parse_chunk = killed
    print("said once", flush=False)  # not yet flushed when the child is forked
    cache = PlanCache(plans / "cache.bin", plans, bytes(32)) if mode == "cache" else None
    parallel = folder.load_folder(plans, cache=cache)
    same = [(f.path, f.plan, f.problems, f.fingerprint, f.stamp) for f in serial.files] == [
        (f.path, f.plan, f.problems, f.fingerprint, f.stamp) for f in parallel.files
    ]
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


def test_what_the_workers_parsed_is_cached(tmp_path):
    assert run(folder_of_plans(tmp_path), "cache") == "True True"
