"""Hostile text the tests put in plans: escape sequences, control characters, bidi and
zero-width characters, markup."""

from __future__ import annotations

import re

EVIL = r"""
[plan]
title = "Evil \u001b]0;PWNED\u0007 title \u001b[2J\u009b31m end"
kind = "ofsted"
start = 2016-09-01

[[recommendation]]
ref = "1\u001b[31m"
title = "[bold]markup[/bold] \u001b]8;;http://x\u001b\\link"
leads = ["Lead \u001b[5mblink \u0000 nul \u007f del"]

  [[recommendation.action]]
  ref = "1.1"
  action = "Do \u001b[2J it \r overwritten"
  due = 2017-01-31
  percent = 20
  impact_note = "[link=http://evil]x[/link]"

    [[recommendation.action.update]]
    date = 2016-12-01
    note = "a note \u001b]52;c;Y2xpcGJvYXJk\u0007 that writes the clipboard"
"""


# what a terminal acts on: ESC, BEL, CSI as one C1 character, NUL, DEL, CR mid-line
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


HOSTILE_PLAN = """\
[plan]
title = "<script>alert('title')</script> & [bold]plan[/bold]"
start = 2016-09-01
review = "quarterly"

[[theme]]
id = "1"
title = "<img src=x onerror=alert(1)>"

[[recommendation]]
ref = "1"
theme = "1"
title = "Rec </td></tr></table><h1>gotcha</h1>"
text = "| pipes | and `ticks` and **stars** and [a](javascript:alert(1))"
leads = ["=HYPERLINK(\\"http://evil.example\\",\\"click\\")"]

  [[recommendation.action]]
  ref = "1.1"
  action = "=1+1"
  outcome = "+SUM(A1:A9)"
  due = 2016-12-31
  percent = 10
  impact = "partly"
  impact_note = "@cmd|' /C calc'!A0"

    [[recommendation.action.evidence]]
    date = 2016-12-01
    text = "javascript link"
    link = "javascript:alert(document.cookie)"

    [[recommendation.action.evidence]]
    date = 2016-12-02
    text = "data link"
    link = "data:text/html,<script>alert(1)</script>"

    [[recommendation.action.evidence]]
    date = 2016-12-03
    text = "climbs out"
    link = "../../etc/passwd"

    [[recommendation.action.evidence]]
    date = 2016-12-04
    text = "the audit"
    link = "evidence/audit.pdf"

    [[recommendation.action.evidence]]
    date = 2016-12-05
    text = "the minutes"
    link = "https://example.org/minutes?a=1&b=2"

  [[recommendation.action]]
  ref = "1.2"
  action = "-2 tab\\tand\\rreturn"
  due = 2017-06-30
  percent = 0
"""


HOSTILE_FILES: dict[str, str | bytes] = {
    "long-number": '[plan]\ntitle = "x"\n[plan.extra]\nn = ' + "9" * 5000 + "\n",
    "deep-one-line": '[plan]\ntitle = "x"\n[plan.extra]\na = ' + "[" * 600 + "]" * 600 + "\n",
    "deep-many-lines": '[plan]\ntitle = "x"\n[plan.extra]\na = ' + "[\n" * 600 + "]\n" * 600,
    "deep-tables": '[plan]\ntitle = "x"\n[plan.extra]\na = ' + "{ b = " * 300 + "1" + " }" * 300,
    "dotted": '[plan]\ntitle = "x"\n' + ".".join(f"k{i}" for i in range(20_000)) + " = 1\n",
    "nul": '[plan]\ntitle = "a\x00b"\n',
    "bad-utf8": b'[plan]\ntitle = "caf\xe9"\n',
    "bom-crlf": '\ufeff[plan]\r\ntitle = "x"\r\nkind = 7\r\n',
    "bad-date": '[plan]\ntitle = "x"\nstart = 2017-02-30\n',
    "only-bom": "\ufeff",
    # issue 21 item 3: a quoted first part holding "=" hid 40,000 parts from the guard (31 s)
    "dotted-quoted": '[plan]\ntitle = "x"\n"=".' + ".".join(["a"] * 40_000) + " = 1\n",
    "dotted-inline": '[plan]\ntitle = "x"\n[plan.extra]\nx = { ' + "a." * 40_000 + "a = 1 }\n",
    "dotted-header": '[plan]\ntitle = "x"\n["=".' + ".".join(["a"] * 40_000) + "]\n",
    # thousands of errors: each was looked for among all the others (minutes), and printed
    "errors-by-thousand": '[plan]\ntitle = "x"\n' + "[[recommendation]]\nq = 1\n" * 40_000,
    "same-ref-thousands": '[plan]\ntitle = "x"\n[[recommendation]]\nref = "1"\ntext = "t"\n'
    + '[[recommendation.action]]\nref = "1"\naction = "x"\nlead = "y"\ndue = 2017-01-01\n' * 5_000,
    "huge-target": '[plan]\ntitle = "x"\n[[recommendation]]\nref = "1"\nleads = ["L"]\n'
    '[[recommendation.action]]\nref = "1.1"\naction = "a"\ndue = 2017-01-01\n'
    '[[recommendation.action.measure]]\nid = "m"\ntext = "t"\ntarget = ' + "9" * 310 + "\n",
}
