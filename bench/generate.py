"""Write a synthetic portfolio of valid plans (for benchmarks and scale checks).

python bench/generate.py OUT_DIR [--plans 200] [--actions 100]
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path


def plan_text(n: int, actions: int, rng: random.Random, warnings: bool = True) -> str:
    """A valid plan; with `warnings`, one action in ten carries a warning (an action
    whose colour lapses with no colour set by hand), as real plans have some."""
    lines = [
        "# synthetic plan for benchmarks",
        "[plan]",
        f'title = "Synthetic plan {n}"',
        'kind = "internal"',
        "start = 2016-09-01",
        "",
    ]
    per_rec = min(5, actions)  # one-action files: one recommendation of one action
    for r in range(actions // per_rec):
        lines += [
            "[[recommendation]]",
            f'ref = "{r + 1}"',
            f'title = "Recommendation {r + 1}"',
            'leads = ["Assistant Director, Safeguarding"]',
            'why = "Because it matters to children and young people."',
            "",
        ]
        for a in range(per_rec):
            ref = f"{r + 1}.{a + 1}"
            due = date(2017, 1, 1) + timedelta(days=rng.randrange(0, 500))
            lines += [
                "  [[recommendation.action]]",
                f'  ref = "{ref}"',
                '  outcome = "Practitioners receive more regular and consistent supervision."',
                '  action = "Review and refresh supervision policy, including a protocol template"',
                f'  leads = ["Head of Service {rng.randrange(20)}"]',
                f"  due = {due}",
                f"  percent = {rng.choice([0, 25, 50, 75, 100])}",
                *(["  rag_until = 2017-03-01"] if warnings and a == 0 and r % 2 == 0 else []),
                "",
                "    [[recommendation.action.measure]]",
                f'    id = "m-{ref}"',
                '    text = "90% of practitioners receive monthly supervision"',
                "    target = 90",
                '    unit = "%"',
                f"    readings = [ {{ date = 2016-12-31, value = {rng.randrange(100)} }} ]",
                "",
                "    [[recommendation.action.update]]",
                "    date = 2016-12-15",
                '    by = "Head of Service"',
                '    note = "Draft out to team managers"',
                "",
            ]
    return "\n".join(lines)


def generate(
    out: Path, plans: int = 200, actions: int = 100, seed: int = 1, warnings: bool = True
) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(plans):
        path = out / f"plan-{n:03d}.toml"
        path.write_text(plan_text(n, actions, rng, warnings), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--plans", type=int, default=200)
    ap.add_argument("--actions", type=int, default=100)
    a = ap.parse_args()
    generate(a.out, a.plans, a.actions)
