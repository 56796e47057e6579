"""Plans are pickled by position (improve.plans.model: the class and its fields' values,
unpickled by calling the class), for the cache and for the forked parsers: what comes
back is the plan that went in, field for field, for every kind of thing a plan holds."""

from __future__ import annotations

import pickle
from dataclasses import fields, is_dataclass

from helpers import EXTENDED, SAMPLE, SHIPPED, write
from improve.plans import model
from improve.plans.loader import load_file, pickled, unpickled


def _loaded(tmp_path):
    for name, text in (("sample.toml", SAMPLE), ("extended.toml", EXTENDED)):
        write(tmp_path, name, text)
    paths = [*sorted(SHIPPED.glob("*.toml")), tmp_path / "sample.toml", tmp_path / "extended.toml"]
    return [load_file(path, path.parent) for path in paths]


def test_a_plan_comes_back_as_it_went(tmp_path):
    for loaded in _loaded(tmp_path):
        assert loaded.plan is not None, loaded.problems
        again = pickle.loads(pickle.dumps(loaded.plan, protocol=5))
        assert again == loaded.plan and type(again) is model.Plan
        plan, problems = unpickled(pickled(loaded.plan, loaded.problems), loaded.path)
        assert plan == loaded.plan and problems == loaded.problems
        assert plan is not None and plan.file == loaded.path


def test_problems_come_back_as_they_went():
    problem = model.Problem("a.toml", 3, 7, "warning", "a message")
    assert pickle.loads(pickle.dumps([problem], protocol=5)) == [problem]


def test_every_class_of_the_model_is_made_from_its_fields_in_order():
    """The unpickling calls the class with every field's value: a field that is not an
    argument of __init__ would break it (and the cache with it)."""
    classes = [c for c in vars(model).values() if isinstance(c, type) and is_dataclass(c)]
    assert len(classes) >= 13
    for cls in classes:
        assert all(f.init for f in fields(cls)), cls.__name__
