"""`improve programme`: the committees' work programme, from the reports recorded (in
the plans folder's reported/, so every clone's is the same) and the plans' reported_to."""

from __future__ import annotations

import click

from .common import emit_json, load
from .errors import Failed
from .options import global_options, settings


def register(cli: click.Group) -> None:
    cli.add_command(programme)


@click.command()
@global_options
@click.option("--body", metavar="NAME", help="Only this committee or board.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (shape in docs/json.md).")
def programme(body: str | None, as_json: bool) -> None:
    """Each committee's work programme: per body, each plan's last report and when the
    next is due (by the plan's review cadence), soonest first, overdue ones said.

    Bodies come from the reports recorded by `improve report --for BODY --meeting DATE`
    (on any clone, once its file in reported/ is committed and pulled) and from each
    plan's reported_to."""
    from ..api import HistoryError, find_body, work_programme

    s = settings()
    ws, portfolio = load(s)
    statuses = ws.statuses(portfolio, s.today)
    ws.sync(portfolio, s.today, statuses)
    store = ws.store
    reports = []
    if store is not None:
        try:
            reports = store.reports()
        except HistoryError as exc:
            ws.warn(f"history not read: {exc}")
    bodies = work_programme(portfolio.plans, reports, s.today)
    if body is not None:
        found = find_body(bodies, body)
        if found is None:
            known = ", ".join(b.name for b in bodies) or "none yet"
            raise Failed(
                f'no committee or board "{body}" in the reports recorded or any plan\'s '
                f"reported_to (the bodies: {known})"
            )
        bodies = [found]
    if as_json:
        emit_json({"today": s.today.isoformat(), "bodies": [b.to_json() for b in bodies]})
        return
    from ..present.programme import programme_table
    from ..present.tables import make_console

    console = make_console()
    if not bodies:
        console.print(
            "No reports to committees recorded, and no plan names one in reported_to: "
            "`improve report --for BODY --meeting DATE` records one."
        )
        return
    console.print(programme_table(bodies, s.today))
