"""A cold load of many megabytes parses on every core (improve/plans/folder.py): the result is
the same as parsing here, and anything going wrong in the workers means parsing here.

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
    real = folder._parse_in_workers

    def spy(items, root):
        used.append(len(items))
        return real(items, root)

    folder._parse_in_workers = spy
    if mode == "broken-worker":
        def boom(args):
            raise RuntimeError("a worker fails")
        folder._parse_chunk = boom
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
    print(used, same)
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
    return out.stdout.strip()


def folder_of_plans(tmp_path: Path) -> Path:
    plans = tmp_path / "plans"
    plans.mkdir()
    for n in range(5):
        write(plans, f"p{n}.toml", SAMPLE.replace("Sample improvement plan", f"Plan {n}"))
    write(plans, "broken.toml", '[plan]\ntitle = "Broken"\nkind = "nonsense"\n')
    write(plans, "dup.toml", SAMPLE.replace("[plan]", '[plan]\nid = "p1"'))
    return plans


def test_the_workers_parse_what_this_process_would(tmp_path):
    assert run(folder_of_plans(tmp_path), "plain") == "[7] True"


def test_a_failing_worker_means_parsing_here(tmp_path):
    assert run(folder_of_plans(tmp_path), "broken-worker") == "[7] True"


def test_what_the_workers_parsed_is_cached(tmp_path):
    assert run(folder_of_plans(tmp_path), "cache") == "[7] True"
