"""Issue 25 point 4: the Worcestershire CYP Plan's key performance indicators, as seed 000
has them: each partnership's overarching outcome (its theme) -> its KPIs (plan-level
measures naming the partnership) -> its workstreams and priorities (recommendations of
that theme). Word for word, and with no number the document does not give."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from helpers import ROOT, SHIPPED
from improve.plans.loader import load_file

PLAN = SHIPPED / "worcestershire-cypp-2022.toml"
SEED = ROOT.parent / "shared" / "seeds" / "000_e7ba9887e0de09f3.txt"
KPI = "key performance indicator"

# (theme id, measure id, the seed's words, unit, direction). unit is "%" only where the
# words are a percentage; direction only where the words say which way is better
# ("Increasing"/"Increased" -> up, "reducing"/"reduced" -> down); None = key left out.
EXPECTED = [
    ("early-help", "eh-kpi-1", "Children reach the expected level of development at their two-and-a-half-year review", None, None),
    ("early-help", "eh-kpi-2", "Childhood obesity figures show an improving trend against national data", None, None),
    ("early-help", "eh-kpi-3", 'Increased % of children reaching a good level of development at the end of the Early Years Foundation Stage (EYFS), so they have "School readiness"', "%", "up"),
    ("early-help", "eh-kpi-4", "Number of Early Help Assessments (EHA) and interventions completed by agencies across the partnership - provide effective support preventing repeat statutory assessments and interventions", None, None),
    ("ewmh", "ewmh-kpi-1", "A reducing number of children and young people missing education (CME) due to mental ill health – data to be broken down into subsets of CYP at risk of health inequalities", None, "down"),
    ("ewmh", "ewmh-kpi-2", "CYP absent from school for more than 10 days –data to be broken down into a subset of CYP at risk of health inequalities and those absent due to mental ill health", None, None),
    ("ewmh", "ewmh-kpi-3", "Health assessments for children looked after - % of health checks where mental health needs are identified and met", "%", None),
    ("aad", "aad-kpi-1", "Increasing number of children who are SEN that do not progress to EHCP", None, "up"),
    ("aad", "aad-kpi-2", "Increasing % of children with an EHCP receiving education in mainstream schools and staying there", "%", "up"),
    ("aad", "aad-kpi-3", "Increased % annual health checks for children with a disability of where mental health needs identified and met", "%", "up"),
    ("aad", "aad-kpi-4", "Destination of CYP after statutory school ends – not in education, employment, and training (NEET)", None, None),
    ("aad", "aad-kpi-5", "Destination of CYP after statutory school ends – living arrangements/ level of independence", None, None),
    ("wscp", "wscp-kpi-1", "Successful outcomes of Child Protection plans", None, None),
    ("wscp", "wscp-kpi-2", "A reduced % of repeat Child Protection plans against England averages", "%", "down"),
    ("wscp", "wscp-kpi-3", "A reducing % of children subject to Children protection or Care due to Parental or child mental health", "%", "down"),
    ("wscp", "wscp-kpi-4", "All agencies referring children and families to the correct service at the earliest opportunity", None, None),
]  # fmt: skip
COUNTS = {"early-help": 4, "ewmh": 3, "aad": 5, "wscp": 4}
NUMBERS = ("target", "baseline", "readings", "comparators", "variance")


def _raw(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _all_measures(raw: dict) -> list[dict]:
    found = list(raw.get("measure", []))
    for rec in raw.get("recommendation", []):
        found += rec.get("measure", [])
        for action in rec.get("action", []):
            found += action.get("measure", [])
    return found


def kpi_problems(path: Path) -> list[str]:
    """What the plan at `path` gets wrong about the seed's KPIs (empty: nothing)."""
    raw = _raw(path)
    titles = {t["id"]: t["title"] for t in raw.get("theme", [])}
    kpis = [m for m in raw.get("measure", []) if m.get("extra", {}).get("kind") == KPI]
    problems = []
    for theme, count in COUNTS.items():
        mine = [m for m in kpis if m.get("extra", {}).get("partnership") == titles.get(theme)]
        if len(mine) != count:
            problems.append(f"{theme}: {len(mine)} KPIs, the seed has {count}")
    by_id = {m["id"]: m for m in kpis}
    for theme, mid, text, unit, direction in EXPECTED:
        m = by_id.get(mid)
        if m is None:
            problems.append(f"{mid} missing")
            continue
        if m["text"] != text:
            problems.append(f"{mid}: text {m['text']!r}")
        if m.get("extra", {}).get("partnership") != titles.get(theme):
            problems.append(f"{mid}: not under the partnership {theme}")
        if m.get("unit") != unit or m.get("direction") != direction:
            problems.append(f"{mid}: unit {m.get('unit')!r}, direction {m.get('direction')!r}")
    return problems


def seed_kpis(text: str) -> dict[str, list[str]]:
    """The seed's "key performance indicators" lists, by partnership name. A bullet that
    starts in lower case continues the one before (a page break split it), re-joined with
    " - " as the plan's comment at eh-kpi-4 says."""
    start = text.index("the following key performance indicators:")
    end = text.index("Plan Governance", start)
    groups: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text[start:end].splitlines()[1:]:
        line = line.strip()
        head = re.fullmatch(r"(.+?) [-–] key performance indicators:", line)
        if head:
            current = groups.setdefault(head[1].replace("’", "'"), [])
        elif line.startswith("- ") and current is not None:
            item = line[2:].strip()
            if item[:1].islower() and current:
                current[-1] += " - " + item
            else:
                current.append(item)
    return groups


def test_cypp_plan_loads_clean():
    loaded = load_file(PLAN, SHIPPED)
    assert loaded.plan is not None and not loaded.errors, [str(p) for p in loaded.errors]
    # the one warning the plan has always had: the document gives no due dates
    assert all("no due date" in p.message for p in loaded.warnings), [
        str(p) for p in loaded.warnings
    ]


def test_each_partnership_has_the_seeds_kpis_word_for_word():
    assert kpi_problems(PLAN) == []


def test_a_dropped_or_reworded_kpi_is_caught(tmp_path):
    text = PLAN.read_text(encoding="utf-8")
    dropped = re.sub(r'\[\[measure\]\]\nid = "aad-kpi-4"\n[^\[]*', "", text, count=1)
    assert dropped != text
    (tmp_path / "dropped.toml").write_text(dropped, encoding="utf-8")
    assert "aad: 4 KPIs, the seed has 5" in kpi_problems(tmp_path / "dropped.toml")
    reworded = text.replace("Successful outcomes of Child", "Successful outcome of Child", 1)
    (tmp_path / "reworded.toml").write_text(reworded, encoding="utf-8")
    assert any(p.startswith("wscp-kpi-1: text") for p in kpi_problems(tmp_path / "reworded.toml"))


@pytest.mark.skipif(not SEED.exists(), reason="seed 000 is not beside this checkout")
def test_the_kpis_expected_are_the_seeds_own_list():
    seed = seed_kpis(SEED.read_text(encoding="utf-8"))
    titles = {t["id"]: t["title"] for t in _raw(PLAN)["theme"]}
    assert set(seed) == set(titles.values())
    for theme, title in titles.items():
        assert seed[title] == [text for t, _, text, _, _ in EXPECTED if t == theme]
        assert len(seed[title]) == COUNTS[theme]


def test_kpis_sit_between_the_outcome_and_the_workstreams():
    plan = load_file(PLAN, SHIPPED).plan
    assert plan is not None
    for theme in plan.themes:
        kpis = [m for m in plan.measures if m.extra.get("kind") == KPI]
        assert [m.id for m in kpis if m.extra.get("partnership") == theme.title] == [
            mid for t, mid, *_ in EXPECTED if t == theme.id
        ]
        assert theme.summary  # the overarching outcome
        assert any(r.theme == theme.id and (r.actions or r.measures) for r in plan.recommendations)


def test_no_measure_has_a_number_the_seed_does_not_give():
    """Seed 000 gives no value, baseline, target or reading for any measure."""
    measures = _all_measures(_raw(PLAN))
    assert len(measures) > 60
    for m in measures:
        assert not [k for k in NUMBERS if k in m], m["id"]
        assert m.get("unit") in (None, "%"), m["id"]
        if m.get("unit") == "%":
            assert "%" in m["text"] or "Percentage" in m["text"], m["id"]


def test_measure_ids_are_unique_lower_case_hyphenated():
    ids = [m["id"] for m in _all_measures(_raw(PLAN))]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)
