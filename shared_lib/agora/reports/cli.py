"""`agora reports`: list, run, history and serve the scheduled reports."""
from __future__ import annotations

import json
import sys

import click

from agora.reports.errors import ReportError


def _fail(exc: Exception) -> None:
    raise click.ClickException(str(exc))


@click.group(name="reports")
def command() -> None:
    """Scheduled reports: templates run by papermill on the schedule (reports/schedule.yaml),
    gated by disclosure control and published as HTML without code."""


@command.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_(as_json: bool) -> None:
    """List schedule entries: cron, template, audience, runs and last status."""
    from rich.console import Console
    from rich.table import Table

    from agora.reports import schedule
    from agora.reports.history import open_history

    try:
        entries = schedule.load()
    except ReportError as exc:
        _fail(exc)
    hist = open_history()
    last = {r["report"]: r for r in reversed(hist.runs(limit=10_000))}
    rows = [dict(name=e.name, template=e.template, cron=e.cron, audience=e.audience,
                 for_each=e.for_each, last_status=(last.get(e.name) or {}).get("status"),
                 last_time=(last.get(e.name) or {}).get("scheduled_time")) for e in entries]
    if as_json:
        click.echo(json.dumps(rows, indent=1, default=str))
        return
    t = Table(title="Report schedule (times UTC)")
    for col in ("name", "template", "cron", "audience", "for_each", "last run", "status"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["name"], r["template"], r["cron"], r["audience"],
                  ", ".join(f"{k}: {v}" for k, v in r["for_each"].items()) or "-",
                  r["last_time"] or "-", r["last_status"] or "-")
    Console().print(t)


@command.command()
def check() -> None:
    """Validate the schedule and its templates' parameters; exit 1 with the error if invalid."""
    from agora.reports import schedule

    try:
        entries = schedule.load()
    except ReportError as exc:
        _fail(exc)
    click.echo(f"schedule OK: {len(entries)} entries")


@command.command()
@click.argument("name", required=False)
@click.option("-p", "--parameter", "params", multiple=True, metavar="KEY=VALUE",
              help="Template parameter (repeatable); must be declared in its parameters cell.")
@click.option("--due", is_flag=True, help="Run everything the schedule has due (with catch-up).")
@click.option("--audience", default=None,
              help="Audience for a template run by name (default partnership).")
@click.option("--workers", type=click.IntRange(1, 16), default=None,
              help="Parallel runs (default AGORA_REPORTS_WORKERS).")
def run(name: str | None, params: tuple[str, ...], due: bool, audience: str | None,
        workers: int | None) -> None:
    """Run the schedule entry (or template) NAME now, or with --due everything due.

    NAME is a schedule entry (`uec-daily-flow`, or one run of it: `uec-daily-flow/RAJ01`) or a
    template name (`uec_daily_flow`). Exit status 1 if any run did not succeed.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from agora.reports.manual import manual_runs
    from agora.reports.scheduler import Scheduler

    if due == bool(name):
        raise click.UsageError("give a NAME to run, or --due (not both)")
    if due and (params or audience):
        raise click.UsageError("-p and --audience apply to a NAME, not to --due")
    try:
        with Scheduler(**({"workers": workers} if workers else {})) as s:
            if due:
                s.recover()
                claimed = s.claim_due() + s.claim_retries()
            else:
                claimed = [s.claim_manual(r) for r in manual_runs(name, params, audience)]
            with Progress(TextColumn("{task.description}"), BarColumn(),
                          TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                          transient=not sys.stderr.isatty(), console=None) as bar:
                task = bar.add_task("reports", total=len(claimed))
                outcomes = s.run_claimed(claimed, progress=lambda o: bar.advance(task))
    except ReportError as exc:
        _fail(exc)
    bad = 0
    for o in outcomes:
        where = o.output_dir or ""
        click.echo(f"run {o.run_id}: {o.status} in {o.duration_s:.1f} s {where}".rstrip())
        if o.status != "succeeded":
            bad += 1
            click.echo(f"  {o.error}", err=True)
    if not outcomes:
        click.echo("nothing due")
    if bad:
        sys.exit(1)


@command.command()
@click.option("--entry", default=None, help="Only this entry (name or name/value).")
@click.option("--status", type=click.Choice(["queued", "running", "retry", "succeeded", "failed",
                                            "blocked", "skipped"]), default=None)
@click.option("--limit", type=click.IntRange(1, 10_000), default=30, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def history(entry: str | None, status: str | None, limit: int, as_json: bool) -> None:
    """Run history: status, parameters, snapshot, duration, failing cell and error."""
    from rich.console import Console
    from rich.table import Table

    from agora.reports.history import open_history

    rows = open_history().runs(entry=entry, status=status, limit=limit)
    if as_json:
        click.echo(json.dumps(rows, indent=1, default=str))
        return
    t = Table(title="Report runs")
    for col in ("run", "entry", "scheduled (UTC)", "status", "tries", "secs", "snapshot",
                "cell", "error"):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(str(r["run_id"]), r["entry_id"], r["scheduled_time"], r["status"],
                  f"{r['attempts']}/{r['max_attempts']}",
                  f"{r['duration_s']:.1f}" if r["duration_s"] else "-", r["snapshot"] or "-",
                  "-" if r["failing_cell"] is None else str(r["failing_cell"]),
                  (r["error"] or "")[:200])
    Console().print(t)


@command.command()
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port (default: from the hub's service URL, else 8765).")
@click.option("--scheduler/--no-scheduler", default=True, show_default=True,
              help="Also run the schedule in this process.")
def serve(port: int | None, scheduler: bool) -> None:
    """Serve the reports web pages (behind hub login) and run the scheduler."""
    from agora.reports.service import main

    main(port=port, with_scheduler=scheduler)
