"""Every problem the loader reports, with its exact FILE:LINE:COL, severity and message.

Each test writes a plan as TOML text into `tmp_path` and loads it with
`improve.plans.loader.load_file` / `load_folder`.  Line and column numbers are written out
by hand (1-based, in characters): if a problem moves, the test fails.

Layout of the small plans used below (line numbers matter):

    HEAD    lines 1-2     [plan] / title
    REC     lines 1-6     + blank / [[recommendation]] (line 4) / ref / leads
    ACTION  lines 1-10    + blank / [[recommendation.action]] (line 8) / ref (9) / action (10)
    BASE    lines 1-11    + due = 2017-01-31 (11); a line appended to BASE is line 12,
                          still inside the action table.


"""

from __future__ import annotations

import pytest

from helpers import there
from improve.plans.folder import load_folder
from improve.plans.loader import LoadedFile, load_file
from improve.plans.model import Problem

# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------

HEAD = '[plan]\ntitle = "Test plan"\n'
REC = HEAD + '\n[[recommendation]]\nref = "1"\nleads = ["Head of Service"]\n'
ACTION = (
    REC + '\n[[recommendation.action]]\nref = "1.1"\naction = "Review the supervision policy"\n'
)
BASE = ACTION + "due = 2017-01-31\n"

NEXT = 12  # the line number of the first line appended to BASE
ACTION_NEXT = 11  # the line number of the first line appended to ACTION

ACTION_KEYS = (
    "action, due, evidence, extension, extra, impact, impact_note, leads, measure, "
    "milestone, outcome, percent, rag, rag_reason, rag_until, ref, start, status, "
    "update, weight"
)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    """Run in tmp_path so that problems name files as a user would type them."""
    monkeypatch.chdir(tmp_path)


def load(tmp_path, text: str, name: str = "plan.toml", plans_root=None) -> LoadedFile:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return load_file(path, plans_root)


def load_bytes(tmp_path, raw: bytes, name: str = "plan.toml") -> LoadedFile:
    path = tmp_path / name
    path.write_bytes(raw)
    return load_file(path)


def listing(lf: LoadedFile) -> str:
    return "\n".join(str(p) for p in lf.problems) or "(no problems)"


def at(lf: LoadedFile, line: int, col: int, severity: str = "error") -> Problem:
    """The one problem reported at line:col with this severity."""
    found = [p for p in lf.problems if (p.line, p.col, p.severity) == (line, col, severity)]
    assert len(found) == 1, f"expected one {severity} at {line}:{col}; got:\n{listing(lf)}"
    return found[0]


def only(lf: LoadedFile, line: int, col: int, severity: str = "error") -> Problem:
    """The file's single problem, which must be at line:col with this severity."""
    assert len(lf.problems) == 1, f"expected exactly one problem; got:\n{listing(lf)}"
    return at(lf, line, col, severity)


def positions(lf: LoadedFile) -> list[tuple[int, int, str]]:
    return [(p.line, p.col, p.severity) for p in lf.problems]


def assert_in(message: str, *fragments: str) -> None:
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


def evidence(link: str) -> str:
    """BASE plus one piece of evidence whose link is on line 16, value at column 8."""
    return (
        BASE
        + f'\n[[recommendation.action.evidence]]\ndate = 2017-01-10\ntext = "Policy"\nlink = "{link}"\n'
    )


# --------------------------------------------------------------------------------------
# sanity: the base plans are sound, so every problem below comes from the edit made
# --------------------------------------------------------------------------------------


def test_base_plan_loads_without_problems(tmp_path):
    lf = load(tmp_path, BASE)
    assert lf.problems == []
    assert lf.plan is not None
    assert lf.plan.id == "plan" and lf.plan.title == "Test plan"
    assert [a.ref for _, a in lf.plan.actions()] == ["1.1"]


def test_problem_prints_as_file_line_col_severity_message(tmp_path):
    lf = load(tmp_path, BASE + "percent = 150\n")
    assert [str(p) for p in lf.problems] == [
        'plan.toml:12:11: error: "percent" must be from 0 to 100, not 150'
    ]


# --------------------------------------------------------------------------------------
# files that are not plans at all
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, col, hint",
    [
        pytest.param(
            ACTION + "due = January 2017\n",
            11,
            7,
            "; dates are written without quotes as due = 2017-01-31",
            id="unquoted-month-year",
        ),
        pytest.param(
            ACTION + "due = 31/01/2017\n",
            11,
            9,
            "; dates are written without quotes as due = 2017-01-31",
            id="unquoted-day-first",
        ),
        pytest.param(
            BASE + "outcome = Better supervision  # why\n",
            12,
            11,
            '; text needs quotes: outcome = "Better supervision"',
            id="unquoted-text",
        ),
        pytest.param(
            HEAD + "owner = Director of Children\n",
            3,
            9,
            '; text needs quotes: owner = "Director of Children"',
            id="unquoted-text-plan",
        ),
    ],
)
def test_syntax_error_has_tomllib_position_and_a_hint(tmp_path, text, line, col, hint):
    lf = load(tmp_path, text)
    p = only(lf, line, col)
    assert p.message.startswith("this is not valid TOML: ")
    assert p.message.endswith(hint)
    assert "(at line" not in p.message  # the position is in FILE:LINE:COL, not repeated
    assert lf.plan is None


@pytest.mark.parametrize(
    "text, line, col, reason",
    [
        pytest.param(
            BASE + "percent = 5 5\n",
            12,
            13,
            "Expected newline or end of document after a statement",
            id="number",
        ),
        pytest.param(
            BASE + "[[recommendation.action]\n",
            12,
            24,
            "Expected ']]' at the end of an array declaration",
            id="header",
        ),
        pytest.param(
            BASE + 'action = "again"\n', 12, 17, "Cannot overwrite a value", id="duplicate-key"
        ),
    ],
)
def test_syntax_error_without_a_hint(tmp_path, text, line, col, reason):
    p = only(load(tmp_path, text), line, col)
    assert p.message == f"this is not valid TOML: {reason}"


def test_not_utf8_points_at_the_bad_byte(tmp_path):
    lf = load_bytes(tmp_path, b'[plan]\ntitle = "Caf\xe9 plan"\n')  # Latin-1 e-acute
    p = only(lf, 2, 13)
    assert p.file == "plan.toml"
    assert p.message == "the file is not UTF-8 text (byte 0xe9); save it as UTF-8 in your editor"
    assert lf.plan is None
    assert lf.fingerprint  # the bytes are still fingerprinted


def test_not_utf8_column_counts_characters_not_bytes(tmp_path):
    # 'title = "café ' is 14 characters but 15 bytes; the bad byte is character 15.
    lf = load_bytes(tmp_path, '[plan]\ntitle = "café '.encode() + b'\xff"\n')
    only(lf, 2, 15)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t \n"], ids=["empty", "spaces", "blank-lines"])
def test_empty_or_whitespace_only_file(tmp_path, text):
    lf = load(tmp_path, text)
    p = only(lf, 1, 1)
    assert_in(p.message, "the file is empty", "a [plan] table with a title", "improve new")
    assert lf.plan is None


def test_comment_only_file_is_treated_as_empty(tmp_path):
    p = only(load(tmp_path, "# only a comment\n\n# another\n"), 1, 1)
    assert_in(p.message, "has only comments", "a [plan] table with a title", "improve new")


@pytest.mark.parametrize("text", ['[settings]\ncolour = "blue"\n'], ids=["other-toml"])
def test_toml_that_is_not_a_plan(tmp_path, text):
    lf = load(tmp_path, text)
    p = only(lf, 1, 1)
    assert p.message == (
        "this TOML file is not an improvement plan: it has no [plan] table "
        "(a plan starts with [plan] and a title; `improve new` writes a template)"
    )
    assert lf.plan is None


def test_plan_parts_without_a_plan_table(tmp_path):
    lf = load(tmp_path, '[[recommendation]]\nref = "1"\n')
    p = only(lf, 1, 1)
    assert p.message == 'this file has no [plan] table; add [plan] with title = "…" at the top'
    assert lf.plan is None


def test_plan_that_is_not_a_table(tmp_path):
    p = only(load(tmp_path, 'plan = "Improvement plan"\n'), 1, 8)
    assert p.message == '"plan" must be a table, not "Improvement plan"'


def test_utf8_bom_loads_fine(tmp_path):
    lf = load_bytes(tmp_path, b"\xef\xbb\xbf" + BASE.encode())
    assert lf.problems == []
    assert lf.plan is not None and lf.plan.title == "Test plan"


def test_utf8_bom_does_not_shift_columns_on_line_one(tmp_path):
    lf = load_bytes(tmp_path, '\ufeffplan = { title = "T", kindd = "ofsted" }\n'.encode())
    p = only(lf, 1, 23)
    assert p.message.startswith('unknown key "kindd" in plan; did you mean "kind"?')


def test_windows_line_endings_and_tabs_keep_positions(tmp_path):
    text = BASE.replace("\n", "\r\n") + "\tpercent = 150\r\n"
    p = only(load(tmp_path, text), 12, 12)
    assert p.message == '"percent" must be from 0 to 100, not 150'


def test_unreadable_file(tmp_path):
    lf = load_file(tmp_path / "missing.toml")
    p = only(lf, 1, 1)
    assert p.file == "missing.toml"
    assert p.message == "cannot read the file: No such file or directory"
    assert lf.plan is None


def test_positions_survive_tricky_layout(tmp_path):
    # Comments and strings that look like headers or keys must not confuse the locator.
    text = (
        "[plan]  # [[recommendation]]\n"  # 1
        'title = "Tricky # not a comment ]"\n'  # 2
        'summary = """\n'  # 3
        "[[recommendation.action]]\n"  # 4
        "precent = 1\n"  # 5
        '"""\n'  # 6
        "reported_to = [\n"  # 7
        '  "SLT",   # [[recommendation]]\n'  # 8
        "  'Scrutiny \"committee\"',\n"  # 9
        "]\n"  # 10
        "# [[recommendation]]\n"  # 11
        "  'quoted key' = 1\n"
    )  # 12
    p = only(load(tmp_path, text), 12, 3)
    assert p.message.startswith('unknown key "quoted key" in plan;')


# --------------------------------------------------------------------------------------
# required keys: the position is the header of the table that lacks the key
# --------------------------------------------------------------------------------------

_MEASURE_HDR = "\n[[recommendation.action.measure]]\n"  # header on line 13 when added to BASE


@pytest.mark.parametrize(
    "text, line, col, message",
    [
        pytest.param(
            '[plan]\nkind = "ofsted"\n',
            1,
            1,
            'plan is missing "title"; add title = "…"',
            id="plan.title",
        ),
        pytest.param(
            HEAD + '\n[[theme]]\ntitle = "Oversight"\n',
            4,
            1,
            'theme is missing "id"; add id = "…"',
            id="theme.id",
        ),
        pytest.param(
            HEAD + '\n[[theme]]\nid = "1"\n',
            4,
            1,
            'theme is missing "title"; add title = "…"',
            id="theme.title",
        ),
        pytest.param(
            HEAD + 'judgements = [ { area = "Overall" } ]\n',
            3,
            16,
            'judgement is missing "grade"; add grade = "…"',
            id="judgement.grade",
        ),
        pytest.param(
            HEAD + '\n[[recommendation]]\ntitle = "Supervision"\n',
            4,
            1,
            'recommendation is missing "ref"; add ref = "…"',
            id="recommendation.ref",
        ),
        pytest.param(
            REC + '\n[[recommendation.action]]\naction = "x"\ndue = 2017-01-31\n',
            8,
            1,
            'action is missing "ref"; add ref = "…"',
            id="action.ref",
        ),
        pytest.param(
            REC + '\n[[recommendation.action]]\nref = "1.1"\ndue = 2017-01-31\n',
            8,
            1,
            'action is missing "action"; add action = "…"',
            id="action.action",
        ),
        pytest.param(
            BASE + _MEASURE_HDR + 'text = "90% supervised"\n',
            13,
            1,
            'measure is missing "id"; add id = "…"',
            id="action-measure.id",
        ),
        pytest.param(
            BASE + _MEASURE_HDR + 'id = "m"\n',
            13,
            1,
            'measure is missing "text"; add text = "…"',
            id="action-measure.text",
        ),
        pytest.param(
            BASE + '\n  [[recommendation.measure]]\n  id = "m"\n',
            13,
            3,
            'measure is missing "text"; add text = "…"',
            id="indented-rec-measure.text",
        ),
        pytest.param(
            BASE + '\n[[measure]]\ntext = "Repeat plans"\n',
            13,
            1,
            'measure is missing "id"; add id = "…"',
            id="plan-measure.id",
        ),
        pytest.param(
            BASE + '\n[[recommendation.action.evidence]]\ntext = "Minutes"\n',
            13,
            1,
            'evidence is missing "date"; add date = 2017-01-31',
            id="evidence.date",
        ),
        pytest.param(
            BASE + "\n[[recommendation.action.evidence]]\ndate = 2017-01-10\n",
            13,
            1,
            'evidence is missing "text"; add text = "…"',
            id="evidence.text",
        ),
        pytest.param(
            BASE + '\n[[recommendation.action.extension]]\nreason = "Unions"\n',
            13,
            1,
            'extension is missing "due"; add due = 2017-01-31',
            id="extension.due",
        ),
        pytest.param(
            BASE + "\n[[recommendation.action.extension]]\ndue = 2017-03-31\n",
            13,
            1,
            'extension is missing "reason"; add reason = "…"',
            id="extension.reason",
        ),
        pytest.param(
            BASE + "\n[[recommendation.action.milestone]]\ndue = 2017-02-28\n",
            13,
            1,
            'milestone is missing "label"; add label = "…"',
            id="milestone.label",
        ),
        pytest.param(
            BASE + '\n[[recommendation.action.update]]\nnote = "x"\n',
            13,
            1,
            'update is missing "date"; add date = 2017-01-31',
            id="update.date",
        ),
        # readings are inline tables: the position is the opening brace (line 16, column 14)
        pytest.param(
            BASE + _MEASURE_HDR + 'id = "m"\ntext = "t"\nreadings = [ { value = 3 } ]\n',
            16,
            14,
            'reading is missing "date"; add date = 2017-01-31',
            id="reading.date",
        ),
        pytest.param(
            BASE + _MEASURE_HDR + 'id = "m"\ntext = "t"\nreadings = [ { date = 2016-12-31 } ]\n',
            16,
            14,
            'reading is missing "value"; add value = 0',
            id="reading.value",
        ),
    ],
)
def test_missing_required_key_points_at_the_table(tmp_path, text, line, col, message):
    lf = load(tmp_path, text)
    p = only(lf, line, col)
    assert p.message == message
    assert lf.plan is None


# --------------------------------------------------------------------------------------
# wrong types: the position is the value, and the message shows the fix
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line_text, col, message",
    [
        pytest.param(
            'due = "January 2017"',
            7,
            '"due" must be a date, not "January 2017"; write it without quotes as due = 2017-01-31',
            id="month-year",
        ),
        pytest.param(
            'due = "31/01/2017"',
            7,
            '"due" must be a date, not "31/01/2017"; write it without quotes as due = 2017-01-31',
            id="day-first",
        ),
        pytest.param(
            'due = "01/02/2017"',
            7,
            '"due" must be a date, not "01/02/2017"; write it without quotes as due = 2017-02-01',
            id="day-first-ambiguous",
        ),
        pytest.param(
            'due = "2017-01-31"',
            7,
            '"due" must be a date, not "2017-01-31"; write it without quotes as due = 2017-01-31',
            id="quoted-iso",
        ),
        pytest.param(
            "due = 2017-01-31T09:30:00",
            7,
            '"due" must be a date without a time; write due = 2017-01-31',
            id="datetime",
        ),
        pytest.param(
            "due = 2017-01-31 09:30:00+01:00",
            7,
            '"due" must be a date without a time; write due = 2017-01-31',
            id="datetime-space",
        ),
        pytest.param("due = 09:30:00", 7, '"due" must be a date such as 2017-01-31', id="time"),
        pytest.param(
            'due = "next spring"',
            7,
            '"due" must be a date, written like due = 2017-03-31',
            id="no-guess",
        ),
        pytest.param(
            'start = "September 2016"',
            9,
            '"start" must be a date, not "September 2016"; write it without quotes as start = 2016-09-30',
            id="start",
        ),
    ],
)
def test_wrong_date(tmp_path, line_text, col, message):
    lf = load(tmp_path, ACTION + line_text + "\n")
    p = at(lf, ACTION_NEXT, col)
    assert p.message == message
    assert len(lf.errors) == 1, listing(lf)
    assert lf.plan is None


@pytest.mark.parametrize(
    "line_text, col, message",
    [
        pytest.param(
            'percent = "50%"',
            11,
            '"percent" must be a whole number without quotes; write percent = 50',
            id="percent-string",
        ),
        pytest.param(
            'percent = "50"',
            11,
            '"percent" must be a whole number without quotes; write percent = 50',
            id="percent-quoted",
        ),
        pytest.param(
            "percent = 50.0",
            11,
            '"percent" must be a whole number; write percent = 50',
            id="percent-float",
        ),
        pytest.param(
            "percent = 12.5",
            11,
            '"percent" must be a whole number, not 12.5',
            id="percent-fraction",
        ),
        pytest.param(
            "percent = true", 11, '"percent" must be a whole number, not true', id="percent-bool"
        ),
        pytest.param(
            "percent = 150", 11, '"percent" must be from 0 to 100, not 150', id="percent-high"
        ),
        pytest.param(
            "percent = -5", 11, '"percent" must be from 0 to 100, not -5', id="percent-low"
        ),
        pytest.param(
            "weight = -1", 10, '"weight" must be at least 0, not -1', id="weight-negative"
        ),
        pytest.param(
            'weight = "2"',
            10,
            '"weight" must be a number without quotes; write weight = 2',
            id="weight-string",
        ),
        pytest.param(
            'leads = "Head of Safeguarding"',
            9,
            '"leads" must be a list of text; write leads = ["Head of Safeguarding"]',
            id="leads-string",
        ),
        pytest.param(
            'leads = ["Head of Safeguarding", 3]',
            9,
            '"leads" must be a list of text, not a list',
            id="leads-mixed",
        ),
        pytest.param(
            "outcome = 42",
            11,
            '"outcome" must be text in quotes; write outcome = "42"',
            id="outcome-number",
        ),
        pytest.param(
            'rag_until = "March 2017"',
            13,
            '"rag_until" must be a date, not "March 2017"; write it without quotes as rag_until = 2017-03-31',
            id="rag_until",
        ),
        pytest.param(
            'extra = "notes"', 9, '"extra" must be a table, not "notes"', id="extra-not-table"
        ),
        pytest.param(
            'extension = "2017-03-31"',
            13,
            '"extension" must be a list of tables, not "2017-03-31"',
            id="extension-not-tables",
        ),
    ],
)
def test_wrong_type_in_action(tmp_path, line_text, col, message):
    lf = load(tmp_path, BASE + line_text + "\n")
    p = only(lf, NEXT, col)
    assert p.message == message
    assert lf.plan is None


@pytest.mark.parametrize(
    "text, line, col, message",
    [
        pytest.param(
            BASE + _MEASURE_HDR + 'id = "m"\ntext = "t"\ntarget = "90%"\n',
            16,
            10,
            '"target" must be a number without quotes; write target = 90',
            id="target-string",
        ),
        pytest.param(
            BASE
            + _MEASURE_HDR
            + 'id = "m"\ntext = "t"\nreadings = [ { date = 2016-12-31, value = "78%" } ]\n',
            16,
            43,
            '"value" must be a number without quotes; write value = 78',
            id="reading-value",
        ),
        pytest.param(
            BASE + '\n[[recommendation.action.milestone]]\nlabel = "Stage 1"\ndone = "yes"\n',
            15,
            8,
            '"done" must be true or false, not "yes"',
            id="milestone-done",
        ),
        pytest.param(
            HEAD + "rag = { margin = 150 }\n",
            3,
            18,
            '"margin" must be from 0 to 100, not 150',
            id="plan-rag-margin",
        ),
        pytest.param(
            HEAD + "rag = { stale_days = -1 }\n",
            3,
            22,
            '"stale_days" must be at least 0, not -1',
            id="plan-rag-stale-days",
        ),
        pytest.param(
            HEAD + "version = 1.0\n",
            3,
            11,
            '"version" must be text in quotes; write version = "1.0"',
            id="plan-version",
        ),
        pytest.param(
            HEAD + 'reported_to = "SLT"\n',
            3,
            15,
            '"reported_to" must be a list of text; write reported_to = ["SLT"]',
            id="plan-reported-to",
        ),
        pytest.param(
            HEAD + 'published = "1 December 2016"\n',
            3,
            13,
            '"published" must be a date, not "1 December 2016"; write it without quotes as published = 2016-12-01',
            id="plan-published",
        ),
    ],
)
def test_wrong_type_elsewhere(tmp_path, text, line, col, message):
    lf = load(tmp_path, text)
    p = only(lf, line, col)
    assert p.message == message


# --------------------------------------------------------------------------------------
# enumerations, with "did you mean"
# --------------------------------------------------------------------------------------

STATUSES = "not-started, in-progress, complete, dropped"


@pytest.mark.parametrize(
    "text, line, col, message",
    [
        pytest.param(
            BASE + 'status = "in progress"\n',
            NEXT,
            10,
            f'"status" must be one of {STATUSES}, not "in progress"; did you mean "in-progress"?',
            id="status-space",
        ),
        pytest.param(
            BASE + 'status = "In Progress"\n',
            NEXT,
            10,
            f'"status" must be one of {STATUSES}, not "In Progress"; did you mean "in-progress"?',
            id="status-capitals",
        ),
        pytest.param(
            BASE + 'impact = "too early"\n',
            NEXT,
            10,
            '"impact" must be one of yes, partly, no, too-early, n/a, not "too early"; '
            'did you mean "too-early"?',
            id="impact",
        ),
        pytest.param(
            BASE + 'rag = "blue"\nrag_reason = "It is done"\n',
            NEXT,
            7,
            '"rag" must be one of red, amber, green, not "blue"',
            id="rag-blue-not-allowed",
        ),
        pytest.param(
            BASE + 'rag = "Red"\nrag_reason = "Late"\n',
            NEXT,
            7,
            '"rag" must be one of red, amber, green, not "Red"; did you mean "red"?',
            id="rag-case",
        ),
        pytest.param(
            HEAD + 'kind = "ofstead"\n',
            3,
            8,
            '"kind" must be one of ofsted, scrutiny, partnership, send, internal, other, '
            'not "ofstead"; did you mean "ofsted"?',
            id="kind",
        ),
        pytest.param(
            HEAD + 'review = "quartely"\n',
            3,
            10,
            '"review" must be one of monthly, quarterly, six-monthly, annual, not "quartely"; '
            'did you mean "quarterly"?',
            id="review",
        ),
        pytest.param(
            BASE + _MEASURE_HDR + 'id = "m"\ntext = "t"\ndirection = "dwn"\n',
            16,
            13,
            '"direction" must be one of up, down, not "dwn"; did you mean "down"?',
            id="direction",
        ),
        pytest.param(
            BASE + '\n[[recommendation.action.update]]\ndate = 2016-12-15\nstatus = "complet"\n',
            15,
            10,
            f'"status" must be one of {STATUSES}, not "complet"; did you mean "complete"?',
            id="update-status",
        ),
    ],
)
def test_enumeration(tmp_path, text, line, col, message):
    lf = load(tmp_path, text)
    p = only(lf, line, col)
    assert p.message == message
    assert lf.plan is None


# --------------------------------------------------------------------------------------
# unknown keys
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, col, message",
    [
        pytest.param(
            BASE + "precent = 50\n",
            NEXT,
            1,
            'unknown key "precent" in action; did you mean "percent"?',
            id="precent",
        ),
        pytest.param(
            BASE + 'lead = "Head of Service"\n',
            NEXT,
            1,
            'unknown key "lead" in action; did you mean "leads"?',
            id="lead",
        ),
        pytest.param(
            BASE + 'colour = "red"\n',
            NEXT,
            1,
            'unknown key "colour" in action; free-form data goes in an [extra] table '
            f"(allowed here: {ACTION_KEYS})",
            id="no-close-match",
        ),
        pytest.param(
            HEAD + "rag = { margin = 10, colours = 3 }\n",
            3,
            22,
            'unknown key "colours" in rag; free-form data goes in an [extra] table '
            "(allowed here: extra, margin, stale_days)",
            id="no-close-match-in-rag-settings",
        ),
        pytest.param(
            HEAD + "rag.stale = 3\n",
            3,
            1,
            'unknown key "stale" in rag; did you mean "stale_days"?',
            id="dotted-key",
        ),
        pytest.param(
            HEAD + 'labels = { recomendation = "Key concern" }\n',
            3,
            12,
            'unknown key "recomendation" in labels; did you mean "recommendation"?',
            id="labels",
        ),
        pytest.param(
            BASE + '\n[[recommendation.actions]]\nref = "1.2"\n',
            13,
            1,
            'unknown key "actions" in recommendation; did you mean "action"?',
            id="table-header",
        ),
        pytest.param(
            BASE + '\n[[action]]\nref = "1.2"\n',
            13,
            1,
            'unknown key "action" in the file; free-form data goes in an [extra] table '
            "(allowed here: extra, measure, plan, recommendation, theme)",
            id="top-level",
        ),
        pytest.param(
            BASE + _MEASURE_HDR + 'id = "m"\ntext = "t"\nreadings = [\n'
            "  { date = 2016-12-31, value = 1 },\n"
            '  { date = 2017-01-31, value = 2, nte = "January audit" },\n]\n',
            18,
            35,
            'unknown key "nte" in reading; did you mean "note"?',
            id="inline-in-multiline-array",
        ),
    ],
)
def test_unknown_key(tmp_path, text, line, col, message):
    lf = load(tmp_path, text)
    p = only(lf, line, col)
    assert p.message == message
    assert lf.plan is None


def test_unknown_key_with_a_close_match_does_not_list_everything(tmp_path):
    p = only(load(tmp_path, BASE + "precent = 50\n"), NEXT, 1)
    assert "allowed here" not in p.message and "[extra]" not in p.message


def test_unknown_key_inside_an_inline_table_is_located_at_that_key(tmp_path):
    text = (
        BASE + _MEASURE_HDR + 'id = "m"\ntext = "t"\nreadings = [{ date = 2016-12-31, valu = 3 }]\n'
    )
    lf = load(tmp_path, text)
    # the misspelt key itself, and the reading (its opening brace) that now lacks "value"
    assert positions(lf) == [(16, 13, "error"), (16, 34, "error")]
    assert lf.problems[0].message == 'reading is missing "value"; add value = 0'
    assert lf.problems[1].message == 'unknown key "valu" in reading; did you mean "value"?'


def test_extra_tables_accept_anything_at_every_level(tmp_path):
    text = (
        '[plan]\ntitle = "Extras"\n'
        'extra = { anything = [1, "two", { three = 3 }], "odd key" = true }\n'
        'labels = { action = "Task", extra = { welsh = "Gweithred" } }\n'
        '\n[plan.rag]\nmargin = 20\nextra = { note = "agreed by SLT" }\n'
        '\n[[theme]]\nid = "1"\ntitle = "T"\nextra = { colour = "teal" }\n'
        '\n[[recommendation]]\nref = "1"\ntheme = "1"\nleads = ["L"]\n'
        "\n[recommendation.extra]\nprecent = 5\nnested = { deeper = { deepest = 2017-01-01 } }\n"
        '\n[[recommendation.action]]\nref = "1.1"\naction = "x"\ndue = 2017-01-31\n'
        "\n[recommendation.action.extra]\nsharepoint_id = 1234\n"
        '\n[[recommendation.action.measure]]\nid = "m"\ntext = "t"\n'
        'readings = [{ date = 2016-12-31, value = 1, extra = { source = "audit" } }]\n'
        "extra = { rag_thresholds = [60, 80] }\n"
        '\n[[recommendation.action.evidence]]\ndate = 2017-01-10\ntext = "t"\nextra = { pages = 12 }\n'
        '\n[[recommendation.action.extension]]\ndue = 2017-03-31\nreason = "r"\nextra = { minute = "4.2" }\n'
        '\n[[recommendation.action.milestone]]\nlabel = "Stage 1"\nextra = { x = 1 }\n'
        "\n[[recommendation.action.update]]\ndate = 2016-12-15\nextra = { y = 2 }\n"
        '\n[[measure]]\nid = "p"\ntext = "t"\n[measure.extra]\nwhatever = "ok"\n'
        '\n[extra]\nexported_from = "Excel tracker v3"\n'
    )
    lf = load(tmp_path, text)
    assert lf.problems == [], listing(lf)
    assert lf.plan is not None
    assert lf.plan.extra["odd key"] is True
    assert lf.plan.recommendations[0].extra["precent"] == 5
    assert lf.plan.recommendations[0].actions[0].extra == {"sharepoint_id": 1234}


# --------------------------------------------------------------------------------------
# references and duplicates across the plan
# --------------------------------------------------------------------------------------


def test_duplicate_action_refs(tmp_path):
    text = BASE + '\n[[recommendation.action]]\nref = "1.1"\naction = "Again"\ndue = 2017-02-28\n'
    lf = load(tmp_path, text)
    p = only(lf, 14, 7)  # the second one's value
    assert_in(p.message, 'ref "1.1" is already used by a', "refs must be unique in the plan")
    assert lf.plan is None


def test_duplicate_action_ref_message_grammar(tmp_path):
    text = BASE + '\n[[recommendation.action]]\nref = "1.1"\naction = "Again"\ndue = 2017-02-28\n'
    p = only(load(tmp_path, text), 14, 7)
    assert p.message == 'ref "1.1" is already used by an action; refs must be unique in the plan'


def test_duplicate_action_refs_across_recommendations(tmp_path):
    text = BASE + (
        '\n[[recommendation]]\nref = "2"\nleads = ["L"]\n'
        '\n[[recommendation.action]]\nref = "1.1"\naction = "x"\ndue = 2017-01-31\n'
    )
    p = only(load(tmp_path, text), 18, 7)
    assert_in(p.message, 'ref "1.1" is already used by a')


def test_action_ref_equal_to_a_recommendation_ref(tmp_path):
    text = REC + '\n[[recommendation.action]]\nref = "1"\naction = "x"\ndue = 2017-01-31\n'
    p = only(load(tmp_path, text), 9, 7)
    assert (
        p.message == 'ref "1" is already used by a recommendation; refs must be unique in the plan'
    )


@pytest.mark.parametrize("ref", ["1:1", "", "  "])
def test_ref_must_be_non_empty_without_colon(tmp_path, ref):
    text = REC + f'\n[[recommendation.action]]\nref = "{ref}"\naction = "x"\ndue = 2017-01-31\n'
    p = only(load(tmp_path, text), 9, 7)
    assert p.message == f'ref "{ref}" must be non-empty and contain no ":"'


def test_duplicate_measure_ids_across_levels(tmp_path):
    text = (
        HEAD
        + '\n[[measure]]\nid = "m"\ntext = "plan level"\n'  # 4-6
        + '\n[[recommendation]]\nref = "1"\nleads = ["L"]\n'  # 8-10
        + '\n[[recommendation.measure]]\nid = "m"\ntext = "rec level"\n'  # 12-14
        + '\n[[recommendation.action]]\nref = "1.1"\naction = "x"\ndue = 2017-01-31\n'  # 16-19
        + '\n[[recommendation.action.measure]]\nid = "m"\ntext = "action level"\n'
    )  # 21-23
    lf = load(tmp_path, text)
    assert positions(lf) == [(13, 6, "error"), (22, 6, "error")]
    for p in lf.problems:
        assert p.message == 'measure id "m" is already used; measure ids must be unique in the plan'


def test_duplicate_measure_id_is_reported_on_the_later_one(tmp_path):
    text = (
        BASE
        + _MEASURE_HDR
        + 'id = "m"\ntext = "action level"\n'  # 13-15
        + '\n[[measure]]\nid = "m"\ntext = "plan level"\n'
    )  # 17-19
    only(load(tmp_path, text), 18, 6)


def test_duplicate_theme_ids(tmp_path):
    text = HEAD + '\n[[theme]]\nid = "1"\ntitle = "A"\n\n[[theme]]\nid = "1"\ntitle = "B"\n'
    p = only(load(tmp_path, text), 9, 6)
    assert p.message == 'theme id "1" is used twice; give each theme its own id'


THEMED = HEAD + (
    '\n[[theme]]\nid = "scrutiny"\ntitle = "Scrutiny"\n'  # 4-6
    '\n[[theme]]\nid = "practice"\ntitle = "Practice"\n'  # 8-10
    '\n[[recommendation]]\nref = "1"\n'
)  # 12-13


def _themed(rec_lines: str) -> str:
    """THEMED + recommendation keys from line 14 + a sound action."""
    return (
        THEMED + rec_lines + 'leads = ["L"]\n'
        '\n[[recommendation.action]]\nref = "1.1"\naction = "x"\ndue = 2017-01-31\n'
    )


def test_recommendation_theme_not_in_the_plan(tmp_path):
    p = only(load(tmp_path, _themed('theme = "scrutny"\n')), 14, 9)
    assert p.message == (
        'theme "scrutny" is not a theme of this plan; did you mean "scrutiny"? '
        "(themes: practice, scrutiny)"
    )


def test_recommendation_theme_when_the_plan_has_no_themes(tmp_path):
    text = HEAD + '\n[[recommendation]]\nref = "1"\ntheme = "1"\nleads = ["L"]\n'
    p = only(load(tmp_path, text), 6, 9)
    assert p.message == 'theme "1" is named but the plan has no [[theme]] tables; add one'


def test_recommendation_without_a_theme_when_themes_exist(tmp_path):
    lf = load(tmp_path, _themed(""))
    p = only(lf, 12, 1, "warning")
    assert (
        p.message == 'recommendation 1 has no theme; add theme = "scrutiny" (or another theme id)'
    )
    assert lf.plan is not None


def test_evidence_names_a_missing_measure(tmp_path):
    text = (
        BASE
        + _MEASURE_HDR
        + 'id = "supervision-monthly"\ntext = "t"\n'  # 13-15
        + '\n[[recommendation.action.evidence]]\ndate = 2017-01-10\ntext = "Policy"\n'  # 17-19
        + 'measure = "supervision-montly"\n'
    )  # 20
    p = only(load(tmp_path, text), 20, 11)
    assert p.message == (
        'evidence names measure "supervision-montly", which is not in this plan; '
        'did you mean "supervision-monthly"?'
    )


def test_evidence_may_name_a_measure_at_any_level(tmp_path):
    text = (
        BASE + '\n[[recommendation.action.evidence]]\ndate = 2017-01-10\ntext = "Audit"\n'
        'measure = "cp-repeat"\n'
        '\n[[measure]]\nid = "cp-repeat"\ntext = "Repeat plans below average"\n'
    )
    assert load(tmp_path, text).problems == []


def test_rag_override_without_a_reason(tmp_path):
    lf = load(tmp_path, BASE + 'rag = "amber"\n')
    p = only(lf, NEXT, 1)
    assert p.message == (
        'action 1.1 overrides its RAG to "amber" without a reason; add rag_reason = '
        '"…" (say why the computed colour is wrong)'
    )
    assert lf.plan is None


def test_rag_override_with_a_reason_is_fine(tmp_path):
    text = BASE + 'rag = "amber"\nrag_reason = "Managers not trained"\nrag_until = 2017-02-28\n'
    assert load(tmp_path, text).problems == []


def test_rag_until_without_rag(tmp_path):
    lf = load(tmp_path, BASE + "rag_until = 2017-02-28\n")
    p = only(lf, NEXT, 1, "warning")
    assert p.message == "action 1.1 has rag_until but no rag override"
    assert lf.plan is not None


@pytest.mark.parametrize(
    "plan_id", ["telford:2016", "telford ofsted", "-telford", "tél", ".hidden", "١٢٣", "a/b"]
)
def test_plan_id_characters(tmp_path, plan_id):
    lf = load(tmp_path, f'[plan]\nid = "{plan_id}"\ntitle = "T"\n')
    p = only(lf, 2, 6)
    assert p.message == (
        f'plan id "{plan_id}" is not allowed: a plan id may use only the letters a–z and '
        'A–Z, the digits 0–9, ".", "_" and "-", and starts with a letter or digit '
        "(it is typed as PLAN:REF)"
    )
    assert lf.plan is None


def test_plan_id_from_a_file_name_with_spaces_is_an_error(tmp_path):
    lf = load(tmp_path, BASE, name="Improvement Plan 2016.toml")
    p = only(lf, 1, 1)  # no id key: the [plan] header
    assert p.file == "Improvement Plan 2016.toml"
    assert_in(p.message, 'plan id "Improvement Plan 2016" is not allowed: a plan id may use only')


def test_plan_id_from_a_file_name_says_where_it_came_from(tmp_path):
    p = only(load(tmp_path, BASE, name="Improvement Plan 2016.toml"), 1, 1)
    assert_in(p.message, "file name", 'id = "')


def test_format_too_new(tmp_path):
    lf = load(tmp_path, '[plan]\nformat = 2\ntitle = "T"\n')
    p = only(lf, 2, 10)
    assert p.message == (
        "this file is written for plan format 2, but this version of improve "
        "reads format 1; upgrade improve"
    )
    assert lf.plan is None


def test_format_1_is_fine(tmp_path):
    assert load(tmp_path, '[plan]\nformat = 1\ntitle = "T"\n').problems == []


def test_plan_ends_before_it_starts(tmp_path):
    lf = load(tmp_path, HEAD + "start = 2017-01-01\nend = 2016-12-31\n")
    p = only(lf, 4, 7, "warning")
    assert p.message == "the plan ends (2016-12-31) before it starts (2017-01-01)"
    assert lf.plan is not None


# --------------------------------------------------------------------------------------
# warnings: the file loads, but something looks wrong
# --------------------------------------------------------------------------------------


def test_complete_with_percent_below_100(tmp_path):
    lf = load(tmp_path, BASE + 'status = "complete"\npercent = 50\n')
    p = only(lf, 13, 11, "warning")
    assert p.message == (
        'action 1.1 is "complete" but percent is 50; set percent = 100 or change the status'
    )
    assert lf.plan is not None


def test_not_started_with_percent_above_0(tmp_path):
    lf = load(tmp_path, BASE + 'status = "not-started"\npercent = 10\n')
    p = only(lf, 13, 11, "warning")
    assert p.message == 'action 1.1 is "not-started" but percent is 10'
    assert lf.plan is not None


def test_no_due_date(tmp_path):
    lf = load(tmp_path, ACTION)
    p = only(lf, 9, 1, "warning")  # the action's ref
    assert_in(p.message, "action 1.1 has no due date", "add due = YYYY-MM-DD")
    assert lf.plan is not None


def test_no_due_date_on_several_actions_is_one_warning(tmp_path):
    more = "".join(
        f'\n[[recommendation.action]]\nref = "1.{i}"\naction = "x"\n' for i in range(2, 8)
    )
    lf = load(tmp_path, ACTION + more)
    p = only(lf, 9, 1, "warning")  # at the first undated action
    assert_in(
        p.message,
        "7 actions have no due date (1.1, 1.2, 1.3, 1.4, 1.5 and 2 more)",
        "add due = YYYY-MM-DD",
    )


@pytest.mark.parametrize(
    "line_text", ['status = "complete"', 'status = "dropped"', "percent = 100"]
)
def test_no_due_date_is_fine_for_finished_actions(tmp_path, line_text):
    assert load(tmp_path, ACTION + line_text + "\n").problems == []


def test_action_starts_after_it_is_due(tmp_path):
    lf = load(tmp_path, BASE + "start = 2017-02-01\n")
    p = only(lf, NEXT, 9, "warning")  # the action's start
    assert p.message == "action 1.1 starts (2017-02-01) after it is due (2017-01-31)"
    assert lf.plan is not None


def test_plan_start_after_an_action_is_due(tmp_path):
    text = BASE.replace(HEAD, HEAD + "start = 2017-03-01\n")  # every line below moves down one
    lf = load(tmp_path, text)
    p = only(lf, 12, 7, "warning")  # the action's due
    assert p.message == "action 1.1 starts (2017-03-01) after it is due (2017-01-31)"


def test_action_start_overrides_a_late_plan_start(tmp_path):
    text = BASE.replace(HEAD, HEAD + "start = 2017-03-01\n") + "start = 2016-09-01\n"
    assert load(tmp_path, text).problems == []


NO_LEADS = HEAD + (
    '\n[[recommendation]]\nref = "1"\n'  # 4-5
    '\n[[recommendation.action]]\nref = "1.1"\naction = "x"\ndue = 2017-01-31\n'
)  # 7-10


@pytest.mark.parametrize("extra", ["", "leads = []\n"], ids=["absent", "empty-list"])
def test_no_leads_on_action_or_recommendation(tmp_path, extra):
    lf = load(tmp_path, NO_LEADS + extra)
    p = only(lf, 8, 1, "warning")
    assert p.message == 'action 1.1 has no leads; add leads = ["…"]'
    assert lf.plan is not None


def test_leads_on_the_recommendation_are_enough(tmp_path):
    # BASE: the recommendation has leads, the action has none
    assert load(tmp_path, BASE).problems == []


def test_leads_on_the_action_are_enough(tmp_path):
    assert load(tmp_path, NO_LEADS + 'leads = ["Head of Safeguarding"]\n').problems == []


@pytest.mark.parametrize(
    "due, shown",
    [("2017-01-15", "2017-01-31 → 2017-01-15"), ("2017-01-31", "2017-01-31 → 2017-01-31")],
    ids=["earlier", "same-day"],
)
def test_extension_that_does_not_move_the_date_later(tmp_path, due, shown):
    text = BASE + f'\n[[recommendation.action.extension]]\ndue = {due}\nreason = "Unions"\n'
    lf = load(tmp_path, text)
    p = only(lf, 14, 7, "warning")
    assert p.message == f"extension 1 of action 1.1 does not move the due date later ({shown})"
    assert lf.plan is not None


def test_second_extension_earlier_than_the_first(tmp_path):
    text = BASE + (
        '\n[[recommendation.action.extension]]\ndue = 2017-03-31\nreason = "Unions"\n'  # 13-15
        '\n[[recommendation.action.extension]]\ndue = 2017-02-28\nreason = "Oops"\n'
    )  # 17-19
    p = only(load(tmp_path, text), 18, 7, "warning")
    assert (
        p.message
        == "extension 2 of action 1.1 does not move the due date later (2017-03-31 → 2017-02-28)"
    )


def test_extensions_that_move_the_date_later_are_fine(tmp_path):
    text = BASE + (
        '\n[[recommendation.action.extension]]\ndue = 2017-03-31\nreason = "Unions"\n'
        '\n[[recommendation.action.extension]]\ndue = 2017-04-30\nreason = "Again"\n'
    )
    assert load(tmp_path, text).problems == []


def test_evidence_link_to_a_missing_local_file(tmp_path):
    lf = load(tmp_path, evidence("evidence/policy-v2.pdf"))
    p = only(lf, 16, 8, "warning")
    assert p.message == (
        'evidence link "evidence/policy-v2.pdf" names a file that does not exist '
        f"(looked for evidence/policy-v2.pdf in {tmp_path.name}/)"
    )
    assert lf.plan is not None


def test_evidence_link_to_an_existing_local_file(tmp_path):
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "policy-v2.pdf").write_bytes(b"%PDF")
    assert load(tmp_path, evidence("evidence/policy-v2.pdf")).problems == []


@pytest.mark.parametrize("link", ["../../etc/passwd", "/etc/passwd", "evidence/../../outside.pdf"])
def test_evidence_link_escaping_the_plans_folder(tmp_path, link):
    lf = load(tmp_path, evidence(link))
    p = only(lf, 16, 8, "warning")
    assert p.message == (
        f'evidence link "{link}" points outside the plans folder; '
        "keep evidence inside it or use a URL"
    )


def test_evidence_link_escaping_the_plans_folder_of_load_folder(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    (tmp_path / "secret.txt").write_text("x")  # exists, but outside the plans folder
    (plans / "a.toml").write_text(evidence("../secret.txt"), encoding="utf-8")
    (plans / "inside.pdf").write_bytes(b"%PDF")
    (plans / "b.toml").write_text(evidence("inside.pdf"), encoding="utf-8")
    portfolio = load_folder(plans)
    # a folder's load keeps errors only (positions are found for what is shown); the
    # warning is `check`'s to show, with the plans folder as the root either way
    assert portfolio.problems == [] and [p.id for p in portfolio.plans] == ["a", "b"]
    assert [str(p) for p in load_file(plans / "a.toml", plans).problems] == [
        'plans/a.toml:16:8: warning: evidence link "../secret.txt" points outside the plans folder; '
        "keep evidence inside it or use a URL"
    ]


@pytest.mark.parametrize(
    "link",
    [
        "https://example.org/no-such-report.pdf",
        "http://intranet.local/minutes/2017-01.docx",
        "mailto:scrutiny@example.gov.uk",
    ],
)
def test_url_links_are_not_checked(tmp_path, link):
    assert load(tmp_path, evidence(link)).problems == []


def test_file_url_escaping_the_plans_folder_is_reported(tmp_path):
    p = only(load(tmp_path, evidence("file:///etc/passwd")), 16, 8, "warning")
    assert "outside the plans folder" in p.message


@pytest.mark.parametrize(
    "link", ["a" * 300, "evidence/a\\u0000b.pdf"], ids=["too-long", "nul-byte"]
)
def test_evidence_link_that_is_not_a_usable_path_does_not_crash(tmp_path, link):
    lf = load(tmp_path, evidence(link))
    at(lf, 16, 8, "warning")
    assert lf.plan is not None


# --------------------------------------------------------------------------------------
# several problems at once; errors versus warnings
# --------------------------------------------------------------------------------------


def test_several_problems_reported_at_once_sorted_by_line(tmp_path):
    text = (
        "[plan]\n"  # 1
        'title = "Several problems"\n'  # 2
        'kind = "ofstead"\n'  # 3   error: enumeration (3:8)
        "start = 2016-09-01\n"  # 4
        "\n"  # 5
        "[[theme]]\n"  # 6
        'id = "1"\n'  # 7
        'title = "A"\n'  # 8
        "\n"  # 9
        "[[theme]]\n"  # 10
        'id = "1"\n'  # 11  error: duplicate theme (11:6), found in the cross-checks
        'title = "B"\n'  # 12
        "\n"  # 13
        "[[recommendation]]\n"  # 14
        'ref = "1"\n'  # 15
        'theme = "1"\n'  # 16
        "\n"  # 17
        "[[recommendation.action]]\n"  # 18
        'ref = "1.1"\n'  # 19  warning: no leads (19:1)
        'action = "x"\n'  # 20
        "start = 2017-03-01\n"  # 21  warning: starts after due (21:9)
        "due = 2017-01-31\n"  # 22
        "precent = 5\n"  # 23  error: unknown key (23:1)
        'status = "in progress"\n'
    )  # 24  error: enumeration (24:10)
    lf = load(tmp_path, text)
    assert positions(lf) == [
        (3, 8, "error"),
        (11, 6, "error"),
        (19, 1, "warning"),
        (21, 9, "warning"),
        (23, 1, "error"),
        (24, 10, "error"),
    ]
    assert_in(lf.problems[0].message, 'did you mean "ofsted"?')
    assert_in(lf.problems[1].message, 'theme id "1" is used twice')
    assert_in(lf.problems[2].message, "action 1.1 has no leads")
    assert_in(lf.problems[3].message, "action 1.1 starts (2017-03-01) after it is due (2017-01-31)")
    assert_in(lf.problems[4].message, 'unknown key "precent" in action; did you mean "percent"?')
    assert_in(lf.problems[5].message, 'did you mean "in-progress"?')
    assert len(lf.errors) == 4 and len(lf.warnings) == 2
    assert lf.plan is None


def test_errors_in_two_actions_are_both_reported(tmp_path):
    text = (
        BASE + "percent = 150\n" + '\n[[recommendation.action]]\nref = "1.2"\naction = "y"\n'
        "due = 2017-01-31\nprecent = 5\n"
    )
    lf = load(tmp_path, text)
    assert positions(lf) == [(12, 11, "error"), (18, 1, "error")]


def test_a_file_with_errors_gives_no_plan(tmp_path):
    lf = load(tmp_path, BASE + "percent = 150\n")
    assert lf.plan is None
    assert len(lf.errors) == 1 and lf.warnings == []


def test_a_file_with_only_warnings_gives_a_plan(tmp_path):
    lf = load(tmp_path, BASE + "rag_until = 2017-02-28\nstart = 2017-02-01\n")
    assert positions(lf) == [(12, 1, "warning"), (13, 9, "warning")]
    assert lf.errors == []
    assert lf.plan is not None and lf.plan.title == "Test plan"
    assert there(lf.plan.recommendations[0].actions[0].start).isoformat() == "2017-02-01"


# --------------------------------------------------------------------------------------
# load_folder
# --------------------------------------------------------------------------------------


def _folder(tmp_path, files: dict[str, str]):
    plans = tmp_path / "plans"
    plans.mkdir()
    for name, text in files.items():
        (plans / name).write_text(text, encoding="utf-8")
    return plans


def test_one_broken_file_does_not_stop_the_others(tmp_path):
    plans = _folder(
        tmp_path,
        {
            "c-good.toml": BASE,
            "a-good.toml": BASE,
            "b-broken.toml": ACTION + "due = January 2017\n",
            "notes.txt": "not a plan",
        },
    )
    portfolio = load_folder(plans)
    assert [p.id for p in portfolio.plans] == ["a-good", "c-good"]
    assert [f.path.name for f in portfolio.files] == ["a-good.toml", "b-broken.toml", "c-good.toml"]
    assert [f.path.name for f in portfolio.failed] == ["b-broken.toml"]
    [p] = portfolio.problems
    assert (p.file, p.line, p.col, p.severity) == ("plans/b-broken.toml", 11, 7, "error")
    assert_in(p.message, "this is not valid TOML", "due = 2017-01-31")


def test_duplicate_plan_ids_across_files(tmp_path):
    text = '[plan]\nid = "same"\ntitle = "T"\n'
    plans = _folder(tmp_path, {"b.toml": text, "a.toml": text})
    portfolio = load_folder(plans)
    assert [p.id for p in portfolio.plans] == ["same"]
    assert there(portfolio.file_for("same")).path.name == "a.toml"  # first by file name wins
    [p] = portfolio.problems
    assert (p.file, p.severity) == ("plans/b.toml", "error")
    assert (
        p.message == 'plan id "same" is already used by a.toml; give this plan its own id in [plan]'
    )
    assert [f.path.name for f in portfolio.failed] == ["b.toml"]


def test_duplicate_plan_id_points_at_the_id(tmp_path):
    text = '# Ofsted plan\n[plan]\nid = "same"\ntitle = "T"\n'
    portfolio = load_folder(_folder(tmp_path, {"a.toml": text, "b.toml": text}))
    [p] = portfolio.problems
    assert (p.file, p.line, p.col) == ("plans/b.toml", 3, 6)


def test_plan_id_defaults_to_the_file_stem(tmp_path):
    plans = _folder(
        tmp_path,
        {"telford-ofsted-2016.toml": BASE, "other.toml": '[plan]\nid = "explicit"\ntitle = "T"\n'},
    )
    portfolio = load_folder(plans)
    assert portfolio.problems == []
    assert sorted(p.id for p in portfolio.plans) == ["explicit", "telford-ofsted-2016"]
    assert there(portfolio.plan("telford-ofsted-2016")).title == "Test plan"


def test_explicit_id_clashing_with_a_later_file_stem(tmp_path):
    plans = _folder(tmp_path, {"a.toml": '[plan]\nid = "b"\ntitle = "T"\n', "b.toml": HEAD})
    portfolio = load_folder(plans)
    [p] = portfolio.problems
    assert p.file == "plans/b.toml"
    assert p.message.startswith('plan id "b" is already used by a.toml')
    assert there(portfolio.file_for("b")).path.name == "a.toml"


def test_a_broken_file_does_not_claim_its_id(tmp_path):
    plans = _folder(
        tmp_path,
        {
            "a.toml": '[plan]\nid = "same"\ntitle = "T"\nkind = "ofstead"\n',
            "b.toml": '[plan]\nid = "same"\ntitle = "T"\n',
        },
    )
    portfolio = load_folder(plans)
    assert [str(p) for p in portfolio.problems] == [
        'plans/a.toml:4:8: error: "kind" must be one of ofsted, scrutiny, partnership, send, '
        'internal, other, not "ofstead"; did you mean "ofsted"?'
    ]
    assert there(portfolio.file_for("same")).path.name == "b.toml"


# --------------------------------------------------------------------------------------
# bugs: misleading or wrongly placed messages (documented with strict xfails)
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, col",
    [
        pytest.param(ACTION + 'due = "January 2017"\n', 11, 7, id="due-string-then-no-due-date"),
        pytest.param(
            NO_LEADS.replace("due = 2017-01-31\n", 'due = 2017-01-31\nleads = "Head"\n'),
            11,
            9,
            id="leads-string-then-no-leads",
        ),
        pytest.param(
            HEAD + '\n[[theme]]\nid = "1"\n' + '\n[[recommendation]]\nref = "1"\ntheme = "1"\n'
            'leads = ["L"]\n',
            4,
            1,
            id="untitled-theme-then-no-themes",
        ),
        pytest.param(
            BASE
            + _MEASURE_HDR
            + 'id = "m"\n'
            + '\n[[recommendation.action.evidence]]\ndate = 2017-01-10\ntext = "t"\nmeasure = "m"\n',
            13,
            1,
            id="textless-measure-then-unknown-measure",
        ),
    ],
)
def test_one_mistake_gives_one_message(tmp_path, text, line, col):
    only(load(tmp_path, text), line, col)


def test_action_without_a_recommendation_points_at_its_header(tmp_path):
    text = HEAD + '\n[[recommendation.action]]\nref = "1.1"\naction = "x"\n'
    only(load(tmp_path, text), 4, 1)


def test_escaped_quotes_in_a_multiline_string_do_not_break_positions(tmp_path):
    text = HEAD + 'summary = """He said \\"""no\\""" twice"""\nkind = "ofstead"\n'
    p = only(load(tmp_path, text), 4, 8)
    assert_in(p.message, 'did you mean "ofsted"?')


@pytest.mark.parametrize(
    "line_text", ['summary = """Unclosed', "summary = 'Unclosed"], ids=["multi-line", "literal"]
)
def test_syntax_error_at_end_of_document_is_not_at_line_1(tmp_path, line_text):
    lf = load(tmp_path, BASE.replace("due = 2017-01-31\n", "") + line_text + "\n\n# end\n")
    [p] = lf.problems
    assert (p.line, p.col) == (11, 11)  # the line that opens the string, at its quote


def test_year_only_date_does_not_suggest_january(tmp_path):
    p = at(load(tmp_path, ACTION + 'due = "2017"\n'), 11, 7)
    assert "2017-01-31" not in p.message


def test_capitalised_boolean_hint(tmp_path):
    text = BASE + '\n[[recommendation.action.milestone]]\nlabel = "Stage 1"\ndone = True\n'
    p = only(load(tmp_path, text), 15, 8)
    assert 'done = "True"' not in p.message
    assert "done = true" in p.message


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_weight_must_be_a_finite_number(tmp_path, value):
    only(load(tmp_path, BASE + f"weight = {value}\n"), NEXT, 10)
