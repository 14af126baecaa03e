"""`agora dq`: data quality checks and the issues register, for data stewards."""
from __future__ import annotations

import getpass
import sys

import click
from rich.console import Console
from rich.table import Table

from agora.dq import register

console = Console()


def _table_console() -> Console:
    """A console for tables: the terminal's width, or wide when written to a file or pipe."""
    return Console() if sys.stdout.isatty() else Console(width=200)


def _who(value: str | None) -> str:
    return value or getpass.getuser()


def _fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


def _print(df, title: str) -> None:
    t = Table(title=title)
    for c in df.columns:
        t.add_column(str(c))
    for row in df.astype("string").fillna("").itertuples(index=False):
        t.add_row(*row)
    _table_console().print(t)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def command() -> None:
    """Data quality: check the store and keep the data quality issues register (DQIR).

    The register's workflow is log -> triage -> prioritise -> fixing -> fixed -> closed; an issue
    can be closed early, sent back from fixing or fixed, and reopened.
    """


@command.command("check")
@click.option("--table", "tables", multiple=True, help="Check only this table (repeatable).")
@click.option("--failing", is_flag=True, help="Show only checks that found problems.")
def check(tables: tuple[str, ...], failing: bool) -> None:
    """Run the data quality checks on the current store snapshot (read-only) and print them.

    Results are written into each snapshot when it is published; this shows them afresh."""
    from agora import model, store
    from agora.dq.checks import run_checks
    for t in tables:
        if t not in model.BY_NAME:
            raise click.BadParameter(f"{t!r} is not a table of the common data model",
                                     param_hint="--table")
    try:
        con = store.connect()
    except store.StoreError as exc:
        raise _fail(exc) from None
    try:
        with console.status("Checking the store"):
            res = run_checks(con, tables or None)
    finally:
        con.close()
    res = res.groupby(["check_id", "table_name"], as_index=False)[
        ["rows_checked", "rows_failed"]].sum()
    if failing:
        res = res[res["rows_failed"] > 0]
    _print(res, f"{len(res)} checks, {int((res['rows_failed'] > 0).sum())} failing")


@command.command("log")
@click.argument("title")
@click.option("--table", help="Affected table of the common data model.")
@click.option("--org", help="ODS/ONS code of the organisation responsible.")
@click.option("--note", help="What was seen, where, and how often.")
@click.option("--by", "who", help="Who logs it (default: you).")
def log_cmd(title, table, org, note, who) -> None:
    """Log a new data quality issue with a one-line TITLE."""
    try:
        n = register.log(title, _who(who), table=table, org=org, note=note)
    except register.DQIRError as exc:
        raise _fail(exc) from None
    console.print(f"Logged issue {n}")


@command.command("triage")
@click.argument("issue_id", type=int)
@click.option("--note", help="Triage finding.")
@click.option("--table", help="Affected table.")
@click.option("--org", help="Organisation responsible for the fix.")
@click.option("--by", "who", help="Who triages (default: you).")
def triage_cmd(issue_id, note, table, org, who) -> None:
    """Triage logged issue ISSUE_ID: confirm it and name the table and organisation."""
    try:
        row = register.triage(issue_id, _who(who), note, table=table, org=org)
    except register.DQIRError as exc:
        raise _fail(exc) from None
    console.print(f"Issue {row['issue_id']} is now {row['status']}")


@command.command("update")
@click.argument("issue_id", type=int)
@click.option("--status", required=True, type=click.Choice(register.STATUSES),
              help="New status (see the workflow in `agora dq --help`).")
@click.option("--priority", type=click.Choice(register.PRIORITIES),
              help="Priority (needed to prioritise).")
@click.option("--note", help="Note for the change (needed to close).")
@click.option("--by", "who", help="Who makes the change (default: you).")
def update_cmd(issue_id, status, priority, note, who) -> None:
    """Move issue ISSUE_ID to a new status."""
    try:
        row = register.update(issue_id, status, _who(who), note, priority=priority)
    except register.DQIRError as exc:
        raise _fail(exc) from None
    console.print(f"Issue {row['issue_id']} is now {row['status']}"
                  + (f" ({row['priority']} priority)" if row.get("priority") else ""))


@command.command("list")
@click.option("--status", type=click.Choice(register.STATUSES), help="Only issues in this status.")
@click.option("--org", help="Only issues of this organisation.")
@click.option("--open", "open_only", is_flag=True, help="Only issues not closed.")
def list_cmd(status, org, open_only) -> None:
    """List issues in the register, newest first."""
    try:
        df = register.issues(status, org, open_only)
    except register.DQIRError as exc:
        raise _fail(exc) from None
    cols = ["issue_id", "status", "priority", "title", "table_name", "source_org_code",
            "raised_by", "updated_at"]
    _print(df[cols], f"{len(df)} issue(s)")
