"""Load a feeds directory into a new snapshot: DIR/reference/*.csv first, then DIR/feeds/* in
period order. One snapshot per run, published only when the whole run succeeds."""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb

from .. import pseudo, store
from ..feeds import FEEDS, feed_for_file
from . import quarantine
from .errors import IngestError
from .load import BatchResult, load_file
from .mapping import POSTCODE_FILE, REFERENCE_TABLES, plan, reference_plan
from .sqltext import render, statements

_PERIOD = re.compile(r"_(\d{4}-\d{2})")
COMMIT_ROWS = 1_000_000          # rows loaded between commits of a run
_FEED_ORDER = {f.name: i for i, f in enumerate(FEEDS)}


@dataclass
class RunResult:
    batches: list[BatchResult] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    snapshot: int | None = None

    def count(self, status: str) -> int:
        return sum(1 for b in self.batches if b.status == status)


@dataclass(frozen=True)
class Job:
    path: Path
    plan: object


def discover(source: Path) -> tuple[list[Job], list[str]]:
    """Files to load, in order, and names of files no feed claims."""
    if not source.is_dir():
        raise IngestError(f"{source} is not a directory")
    ref_dir, feeds_dir = source / "reference", source / "feeds"
    if not ref_dir.is_dir() and not feeds_dir.is_dir():
        raise IngestError(f"{source} has neither a reference/ nor a feeds/ folder")
    jobs: list[Job] = []
    unknown: list[str] = []
    if ref_dir.is_dir():
        for table in REFERENCE_TABLES:
            f = ref_dir / f"{table.name}.csv"
            if f.exists():
                jobs.append(Job(f, reference_plan(table)))
    if feeds_dir.is_dir():
        found = []
        for f in sorted(p for p in feeds_dir.iterdir() if not p.name.startswith(".")):
            fd = feed_for_file(f.name)
            if fd is None or not f.name.endswith("." + fd.ext):
                unknown.append(f.name)
                continue
            m = _PERIOD.search(f.name[len(fd.name):])
            found.append(((m.group(1) if m else ""), _FEED_ORDER[fd.name], f.name, Job(f, plan(fd))))
        jobs += [j for *_, j in sorted(found, key=lambda t: t[:3])]
    return jobs, unknown


def _postcodes(con, source: Path) -> bool:
    """Temp table postcode_lsoa(postcode_key, lsoa_code) from reference/postcode_lsoa.csv."""
    f = source / "reference" / f"{POSTCODE_FILE}.csv"
    if not f.exists():
        return False
    try:
        con.execute(render("postcodes"), {"path": str(f)})
    except duckdb.Error:
        raise IngestError(f"{f.name}: expected a CSV file with columns postcode and "
                          "lsoa_code") from None
    return True


def ingest(source: Path, on_file: Callable[[Job], None] | None = None,
           on_done: Callable[[BatchResult], None] | None = None,
           jobs: list[Job] | None = None) -> RunResult:
    """Load everything under `source` into the next snapshot and publish it."""
    source = Path(source)
    if jobs is None:
        jobs, unknown = discover(source)
    else:
        unknown = []
    result = RunResult(unrecognised=unknown)
    key_params = pseudo.SqlKey.from_key(pseudo.load_key()).params
    staged: Path | None = None
    scratch = None
    try:
        with store.write() as build:
            con = build.con
            scratch = store.scratch_connection(build)
            pseudo.install_macros(con)
            for stmt in statements("run_tables"):
                con.execute(stmt)
            has_postcodes = _postcodes(con, source)
            staged = quarantine.staging(build.number)
            work = build.folder / "work"
            work.mkdir()
            # Commit every COMMIT_ROWS rows rather than per file: a commit fsyncs, while one
            # transaction for a whole run holds too much in memory. Nothing is published until
            # the end, so a failure anywhere still leaves the store as it was.
            con.execute("BEGIN TRANSACTION")
            pending = 0
            for job in jobs:
                if on_file:
                    on_file(job)
                r = load_file(con, scratch, job.path, job.plan, key_params, work, staged,
                              has_postcodes)
                for leftover in work.iterdir():
                    leftover.unlink()
                result.batches.append(r)
                pending += r.received
                if pending >= COMMIT_ROWS:
                    con.execute("COMMIT")
                    con.execute("BEGIN TRANSACTION")
                    pending = 0
                if on_done:
                    on_done(r)
            con.execute("COMMIT")
            if not any(b.status in ("loaded", "rejected") for b in result.batches):
                build.discard()
            else:
                result.snapshot = build.number
        if result.snapshot is not None and staged is not None:
            quarantine.publish(staged)
    finally:
        if scratch is not None:
            scratch.close()
        if staged is not None and staged.exists():
            shutil.rmtree(staged, ignore_errors=True)
    return result
