"""Scheduled reports: parameterised templates run by papermill, gated, published, recorded.

    agora.reports.run_schedule_once()   run every schedule entry for its latest time (the demo)
    agora.reports.catalog(groups)       latest reports a member of hub `groups` may read

Modules: `schedule` (the YAML schedule), `templates` (parameters), `run` (one run), `gate` (SDC),
`export` (HTML), `publish` (reports area), `history` (SQLite), `scheduler` (service loop), `render`
(helpers for templates), `service` (web pages behind hub login), `cli` (`agora reports`).
"""
from __future__ import annotations

from agora.reports.errors import (AlreadyClaimed, DisclosureBlocked, ParameterError, ReportError,
                                  RunFailed, ScheduleError)


def catalog(groups):
    """Latest reports the member of hub `groups` may see (see agora.reports.visibility)."""
    from agora.reports.visibility import catalog as _catalog

    return _catalog(groups)


def run_schedule_once(workers: int | None = None, show_progress: bool = True) -> list:
    """Run every entry of the schedule once, for its latest scheduled time, and wait.

    Runs already in history for that time are not repeated. Shows a progress bar unless
    `show_progress` is false. Returns the outcomes (status, output folder, error)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from agora.reports.scheduler import Scheduler

    kwargs = {"workers": workers} if workers else {}
    with Scheduler(**kwargs) as s:
        s.recover()
        claimed = s.claim_due() + s.claim_retries()
        if not show_progress:
            return s.run_claimed(claimed)
        with Progress(TextColumn("reports"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn()) as bar:
            task = bar.add_task("reports", total=len(claimed))
            return s.run_claimed(claimed, progress=lambda o: bar.advance(task))


__all__ = ["catalog", "run_schedule_once", "ReportError", "ScheduleError", "ParameterError",
           "RunFailed", "DisclosureBlocked", "AlreadyClaimed"]
