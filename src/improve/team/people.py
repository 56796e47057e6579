"""Who leads what: the optional `plans/people.toml`, never read as a plan.

    [[person]]
    name = "Jo Bloggs"
    email = "jo.bloggs@example.gov.uk"
    leads = ["Head of Safeguarding", "Principal Social Worker"]

Plans name leads by job title, as councils' plans do; this file says which person holds
which titles, so `improve actions --mine` works with a person's name and `improve returns
make` can say who each return is for (and where to send it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `--mine` reads this file before anything else: it loads no model
    from ..plans.model import Problem

FILE_NAME = "people.toml"
KEYS = {"name", "email", "leads"}


@dataclass
class Person:
    name: str
    email: str | None = None
    leads: list[str] = field(default_factory=list)


@dataclass
class People:
    persons: list[Person] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def person(self, name: str | None) -> Person | None:
        """The person of this name (any case, any spacing), or None."""
        if not name:
            return None
        want = " ".join(name.split()).casefold()
        return next((p for p in self.persons if " ".join(p.name.split()).casefold() == want), None)

    def titles_for(self, name: str) -> list[str] | None:
        """The lead titles a person holds, or None when the file does not name them."""
        found = self.person(name)
        return list(found.leads) if found is not None else None

    def holders(self, title: str) -> list[Person]:
        """Who holds a lead title."""
        want = title.casefold()
        return [p for p in self.persons if any(t.casefold() == want for t in p.leads)]


def load_people(plans: Path) -> People:
    """`plans/people.toml`, or nobody when there is none; its problems, as FILE:LINE:COL,
    never stop anything else."""
    path = Path(plans) / FILE_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return People()
    except OSError as exc:
        return People(problems=[_problem(path, 1, 1, f"cannot be read: {exc.strerror}")])
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return People(problems=[_problem(path, 1, 1, "is not UTF-8 text; save it as UTF-8")])
    except tomllib.TOMLDecodeError as exc:
        line, col = _where(str(exc))
        return People(problems=[_problem(path, line, col, f"is not valid TOML: {exc}")])
    out = People()
    for key in data:
        if key != "person":
            out.problems.append(_at(path, (key,), f'unknown table "{key}"; write [[person]]'))
    persons = data.get("person", [])
    if not isinstance(persons, list):
        out.problems.append(_at(path, ("person",), "person must be [[person]] tables"))
        return out
    for k, entry in enumerate(persons):
        if not isinstance(entry, dict):
            continue
        name, email, leads = entry.get("name"), entry.get("email"), entry.get("leads", [])
        for key in entry:
            if key not in KEYS:
                out.problems.append(_at(path, ("person", k, key), f'unknown key "{key}" in '
                                        "person; the keys are name, email and leads"))  # fmt: skip
        if not isinstance(name, str) or not name.strip():
            out.problems.append(_at(path, ("person", k), 'a person needs name = "…"'))
            continue
        if email is not None and (not isinstance(email, str) or "@" not in email):
            out.problems.append(_at(path, ("person", k, "email"), f"{name}'s email is not an "
                                    'address; write email = "name@council.gov.uk"'))  # fmt: skip
            email = None
        if not isinstance(leads, list) or not all(isinstance(x, str) for x in leads):
            out.problems.append(_at(path, ("person", k, "leads"), f"{name}'s leads must be a "
                                    'list of titles: leads = ["Head of Safeguarding"]'))  # fmt: skip
            leads = []
        out.persons.append(Person(name.strip(), email, [x.strip() for x in leads if x.strip()]))
    return out


def _problem(path: Path, line: int, col: int, message: str) -> Problem:
    from ..plans.loader import display_name
    from ..plans.model import Problem

    return Problem(display_name(path), line, col, "error", f"{path.name} {message}")


def _at(path: Path, key: tuple[str | int, ...], message: str) -> Problem:
    from ..plans.folder import locate_in_file
    from ..plans.loader import display_name
    from ..plans.model import Problem

    line, col = locate_in_file(path, key)
    return Problem(display_name(path), line, col, "error", message)


def _where(message: str) -> tuple[int, int]:
    import re

    m = re.search(r"line (\d+), column (\d+)", message)
    return (int(m[1]), int(m[2])) if m else (1, 1)
