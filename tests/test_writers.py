"""Writers never lose each other's work (issue 11 item 1): four and eight processes
updating different actions of one file at once, with one history database, one each, or
none: every update reported as made is in the file, none is refused, nothing crashes.
(bench/bench_writers.py runs the same for 50 rounds.)"""

from __future__ import annotations

import pytest

from writers_helper import run_writers


@pytest.mark.parametrize("mode", ["shared", "separate", "none"])
@pytest.mark.parametrize("writers,rounds", [(4, 6), (8, 3)])
def test_concurrent_writers_lose_nothing_and_refuse_nothing(tmp_path, writers, rounds, mode):
    outcome = run_writers(tmp_path, writers, rounds, mode)
    assert outcome.details == []
    assert (outcome.lost, outcome.false, outcome.refusals, outcome.crashes) == (0, 0, 0, 0)
    assert outcome.successes == writers * rounds and outcome.half_written == 0
