"""The commented template written by `improve new`."""

from __future__ import annotations

from datetime import date

TEMPLATE = """\
# {comment_title}
#
# An improvement plan for `improve` (plan format 1). Every key is described in
# docs/plan-format.md. Dates are written without quotes: 2017-01-31.
# Check the file with:  improve check {file}

[plan]
format = 1
title = "{title}"
kind = "{kind}"                  # ofsted | scrutiny | partnership | send | internal | other
organisation = "{organisation}"
owner = "Director of Children's Services"
start = {start}                # actions start here unless they say otherwise
review = "monthly"               # monthly | quarterly | six-monthly | annual
reported_to = ["Senior Leadership Team"]
# summary = "What this plan responds to."

[[theme]]
id = "1"
title = "First theme"

[[recommendation]]
ref = "1.1"
theme = "1"
source = "Recommendation 1"
title = "A short title"
text = "The recommendation, in the words of the report."
leads = ["Assistant Director, Safeguarding"]
why = "Why it matters."
good_looks_like = ["What good looks like."]

  [[recommendation.action]]
  ref = "1.1.1"
  outcome = "What will be different."
  action = "What will be done."
  leads = ["Head of Service"]
  due = {due}
  percent = 0                    # 0–100; `improve update {id}:1.1.1 --percent 25` changes it

    [[recommendation.action.measure]]
    id = "first-measure"
    text = "90% of practitioners receive monthly supervision"
    target = 90
    unit = "%"
    direction = "up"             # up: higher is better; down: lower is better
"""


def render(
    plan_id: str, title: str, kind: str, organisation: str, start: date, due: date, file: str
) -> str:
    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace('"', '\\"')

    return TEMPLATE.format(
        id=plan_id,
        comment_title=" ".join(title.split()),  # a comment is not a TOML string: no escapes
        title=esc(title),
        kind=kind,
        organisation=esc(organisation),
        start=start.isoformat(),
        due=due.isoformat(),
        file=file,
    )
