"""The scheduler: claims due runs, runs them on bounded parallel workers, retries, catches up.

Each tick it (1) releases claims of processes that died (a killed scheduler's runs are retried,
or marked failed once out of attempts), (2) claims every run the schedule made due since the
catch-up window began that history does not hold yet (only each entry's latest missed time:
older missed times are coalesced into it), and (3) takes retries whose back-off has passed.
Claims are rows under a UNIQUE (entry, scheduled time) constraint, so two schedulers never run
the same thing. Work runs on a thread pool: each run's real work is in its own kernel process.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterable

from agora.config import settings
from agora.reports import publish, schedule
from agora.reports.history import History, open_history, this_owner
from agora.reports.kernels import WARM_UP, KernelPool
from agora.reports.run import Outcome, execute
from agora.reports.schedule import Run

log = logging.getLogger("agora.reports.scheduler")
ON_TIME_S = 120          # a run claimed within this long of its time is "schedule", else "catch-up"
HEARTBEAT_S = 15.0
IDLE_POLL_S = 30.0


@dataclass
class Claimed:
    run_id: int
    run: Run
    scheduled_time: str


@dataclass
class Scheduler:
    workers: int = field(default_factory=lambda: settings().reports_workers)
    timeout: int = field(default_factory=lambda: settings().reports_timeout)
    retries: int = field(default_factory=lambda: settings().reports_retries)
    backoff: float = field(default_factory=lambda: settings().reports_backoff)
    catchup: timedelta = field(default_factory=lambda: timedelta(
        hours=settings().reports_catchup_hours))
    schedule_path: Path | None = None
    history: History = field(default_factory=open_history)
    now: Callable[[], datetime] = schedule.utcnow
    spare_kernels: bool = True
    warm_up: str = WARM_UP

    def __post_init__(self):
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        self.owner = this_owner()
        self.pool = KernelPool(publish.work_root() / "@".join(["kernels", *self.owner.split(":")]),
                               spare=self.spare_kernels, warm_up=self.warm_up)
        self.executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="report")
        self._runs: dict[str, Run] = {}
        self._stop = threading.Event()
        self._serving = False
        self._beat = threading.Thread(target=self._heartbeat, daemon=True, name="heartbeat")
        self._beat.start()

    # Finding work ---------------------------------------------------------------------------
    def runs(self) -> list[Run]:
        runs = schedule.expand(schedule.load(self.schedule_path))
        self._runs = {r.entry_id: r for r in runs}
        return runs

    def recover(self) -> int:
        """Release claims of dead processes (retried or failed) and remove their work folders."""
        released = 0
        for row in self.history.stale():
            if self.history.abandon(row["run_id"], row["owner"],
                                    "interrupted: the process running it stopped (killed?)"):
                released += 1
                log.warning("run %s: owner %s is gone; released", row["run_id"], row["owner"])
        publish.clean_work()
        return released

    def claim_due(self, runs: Iterable[Run] | None = None, since: datetime | None = None
                  ) -> list[Claimed]:
        """Claim each run's latest due time not yet in history (within the catch-up window and,
        if given, after `since`).

        Missed times older than that are coalesced into it: a report shows the latest data, so
        after downtime each entry runs once, not once per missed time."""
        now = self.now()
        claimed = []
        for run in runs if runs is not None else self.runs():
            latest = schedule.latest_time(run.entry.cron, now)
            if now - latest > self.catchup or (since is not None and latest <= since):
                continue
            if self.history.has(run.entry_id, schedule.format_time(latest)):
                continue
            trigger = "schedule" if now - latest <= timedelta(seconds=ON_TIME_S) else "catch-up"
            c = self._claim(run, latest, trigger)
            if c:
                claimed.append(c)
        return claimed

    def claim_retries(self) -> list[Claimed]:
        out = []
        for run_id in self.history.due_retries():
            row = self.history.get(run_id)
            run = self._runs.get(row["entry_id"]) or _adhoc_run(row)
            if run and self.history.take_retry(run_id, self.owner):
                out.append(Claimed(run_id, run, row["scheduled_time"]))
        return out

    def claim_manual(self, run: Run, at: datetime | None = None) -> Claimed:
        c = self._claim(run, at or self.now(), "manual")
        if c is None:
            raise schedule.ScheduleError(f"{run.entry_id} at that time has already run")
        return c

    def _claim(self, run: Run, t: datetime, trigger: str, status: str = "queued"
               ) -> Claimed | None:
        when = schedule.format_time(t)
        run_id = self.history.claim(
            run, when, trigger, max_attempts=1 + (self.retries if run.entry.retries is None
                                                  else run.entry.retries),
            timeout_s=run.entry.timeout or self.timeout, owner=self.owner, status=status)
        return Claimed(run_id, run, when) if run_id and status == "queued" else None

    # Running ----------------------------------------------------------------------------------
    def submit(self, c: Claimed) -> Future:
        return self.executor.submit(self._execute, c)

    def _execute(self, c: Claimed) -> Outcome:
        try:
            return execute(c.run, c.scheduled_time, c.run_id, self.owner, self.history, self.pool,
                           timeout=c.run.entry.timeout or self.timeout, backoff=self.backoff)
        except Exception as exc:   # a bug or a broken store: record it, keep the scheduler alive
            log.exception("run %s crashed", c.run_id)
            self.history.finish(c.run_id, self.owner, "failed", error=f"{type(exc).__name__}: {exc}")
            return Outcome(c.run_id, "failed", error=str(exc))

    def run_due(self, progress: Callable[[Outcome], None] | None = None) -> list[Outcome]:
        """One pass: recover, claim what is due and any due retries, run them, wait."""
        self.recover()
        claimed = self.claim_due() + self.claim_retries()
        return self.run_claimed(claimed, progress)

    def run_claimed(self, claimed: list[Claimed], progress=None) -> list[Outcome]:
        futures = [self.submit(c) for c in claimed]
        outcomes = []
        for f in futures:
            outcome = f.result()
            outcomes.append(outcome)
            if progress:
                progress(outcome)
        return outcomes

    def serve(self, stop: threading.Event | None = None) -> None:
        """Run until `stop` is set: tick, dispatch without waiting, sleep to the next time.

        Catch-up reaches back to when a serving scheduler was last alive (within the window):
        a first start runs nothing from the past (`agora reports run --due` does that)."""
        stop = stop or self._stop
        self.recover()
        seen = self.history.last_seen()
        since = (datetime.fromtimestamp(seen, timezone.utc) if seen is not None
                 else self.now())
        self._serving = True
        self.history.heartbeat(self.owner, serving=True)
        pending: set[Future] = set()
        while not stop.is_set():
            try:
                claimed = self.claim_due(since=since) + self.claim_retries()
            except schedule.ScheduleError as exc:
                log.error("schedule not usable: %s", exc)
                claimed = []
            pending = {f for f in pending if not f.done()} | {self.submit(c) for c in claimed}
            stop.wait(self._sleep_s())
        for f in pending:
            f.result()

    def _sleep_s(self) -> float:
        """Until just after the next minute (crons fire on minutes), at most IDLE_POLL_S."""
        now = self.now()
        return max(1.0, min(IDLE_POLL_S, 60.5 - now.second - now.microsecond / 1e6))

    def _heartbeat(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            try:
                self.history.heartbeat(self.owner, serving=self._serving)
            except Exception:
                log.exception("heartbeat failed")

    def close(self) -> None:
        self._stop.set()
        self.executor.shutdown(wait=True)
        self.pool.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _adhoc_run(row: dict) -> Run | None:
    """A Run rebuilt from a history row (a retry of an entry no longer in the schedule)."""
    try:
        entry = schedule.Entry(name=row["report"], template=row["template"], cron="@yearly",
                               audience=row["audience"], title=row["title"])
        return Run(row["entry_id"], entry, row["parameters"] or {}, row["audience"])
    except Exception:
        return None
