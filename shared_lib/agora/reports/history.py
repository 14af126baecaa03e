"""Persisted run history (SQLite beside the reports): claims, attempts, outcomes.

`claim` inserts (entry, scheduled time) under a UNIQUE constraint, so however many schedulers run,
one of them gets each run. A claim names its owner (host, pid and process start time); claims
whose owner died (kill -9) are found by `stale` and `abandon`ed: retried or marked failed.
"""
from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from agora.config import settings

SQL_FILE = Path(__file__).with_name("history.sql")
HEARTBEAT_STALE_S = 120.0     # a claim from another host is stale after this long without a beat
FINAL = ("succeeded", "failed", "blocked", "skipped")


@lru_cache(maxsize=1)
def queries() -> dict[str, str]:
    """Named statements of history.sql (`-- name: x` headers)."""
    out: dict[str, str] = {}
    name = None
    for line in SQL_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("-- name:"):
            name = line.split(":", 1)[1].strip()
            out[name] = ""
        elif name:
            out[name] += line + "\n"
    return out


def db_path() -> Path:
    return settings().reports_dir / "_history" / "history.sqlite"


def _proc_start(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22: start time in clock ticks


def this_owner() -> str:
    """host:pid:start-ticks of this process: unique even when pids are reused."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_proc_start(pid) or 0}"


def owner_alive(owner: str | None, heartbeat_at: float | None, now: float | None = None) -> bool:
    if not owner:
        return False
    host, _, rest = owner.partition(":")
    pid, _, start = rest.partition(":")
    if host == socket.gethostname() and pid.isdigit():
        return _proc_start(int(pid)) == start
    now = now or time.time()
    return heartbeat_at is not None and now - heartbeat_at < HEARTBEAT_STALE_S


@dataclass
class History:
    path: Path

    def __post_init__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
        with self.connect() as con:
            con.executescript(queries()["schema"])

    def connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        con.row_factory = sqlite3.Row
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA busy_timeout=30000")
        return con

    def _exec(self, name: str, params: Any = ()) -> sqlite3.Cursor:
        con = self.connect()
        try:
            return con.execute(queries()[name], params)
        finally:
            con.close()

    def _rows(self, name: str, params: Any = ()) -> list[dict]:
        con = self.connect()
        try:
            return [dict(r) for r in con.execute(queries()[name], params).fetchall()]
        finally:
            con.close()

    # Claims and attempts ------------------------------------------------------------------------
    def claim(self, run, scheduled_time: str, trigger: str, max_attempts: int, timeout_s: int,
              owner: str, status: str = "queued") -> int | None:
        """Claim (entry, time) for `owner`: the run id, or None if it was claimed already."""
        con = self.connect()
        try:
            cur = con.execute(queries()["claim"], dict(
                entry_id=run.entry_id, scheduled_time=scheduled_time, report=run.entry.name,
                title=run.entry.title, template=run.entry.template, audience=run.audience,
                parameters=json.dumps(run.parameters, sort_keys=True), trigger=trigger,
                status=status, max_attempts=max_attempts, timeout_s=timeout_s,
                owner=owner if status == "queued" else None, now=time.time()))
            return cur.lastrowid if cur.rowcount == 1 else None
        finally:
            con.close()

    def start_attempt(self, run_id: int, owner: str, snapshot: str | None,
                      load_batches: list[int] | None) -> bool:
        now = time.time()
        con = self.connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            cur = con.execute(queries()["start_attempt"], dict(
                run_id=run_id, owner=owner, now=now, snapshot=snapshot,
                load_batches=json.dumps(load_batches) if load_batches is not None else None))
            if cur.rowcount == 1:
                con.execute(queries()["insert_attempt"], dict(run_id=run_id, now=now))
            con.execute("COMMIT")
            return cur.rowcount == 1
        finally:
            con.close()

    def finish(self, run_id: int, owner: str, status: str, *, error: str | None = None,
               failing_cell: int | None = None, output_dir: str | None = None,
               next_attempt_at: float | None = None) -> bool:
        now = time.time()
        values = dict(run_id=run_id, owner=owner, status=status, now=now, error=error,
                      failing_cell=failing_cell, output_dir=output_dir,
                      next_attempt_at=next_attempt_at)
        con = self.connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            con.execute(queries()["finish_attempt"], dict(
                run_id=run_id, status="failed" if status == "retry" else status, now=now,
                error=error, failing_cell=failing_cell))
            cur = con.execute(queries()["finish"], values)
            con.execute("COMMIT")
            return cur.rowcount == 1
        finally:
            con.close()

    def take_retry(self, run_id: int, owner: str) -> bool:
        return self._exec("take_retry", dict(run_id=run_id, owner=owner,
                                             now=time.time())).rowcount == 1

    def due_retries(self, now: float | None = None) -> list[int]:
        return [r["run_id"] for r in self._rows("due_retries", (now or time.time(),))]

    def heartbeat(self, owner: str, serving: bool = False) -> None:
        now = time.time()
        self._exec_sql("UPDATE runs SET heartbeat_at = ? WHERE owner = ? AND status IN "
                       "('queued', 'running')", (now, owner))
        if serving:
            self._exec_sql("INSERT INTO schedulers (owner, started_at, seen_at) VALUES (?, ?, ?) "
                           "ON CONFLICT (owner) DO UPDATE SET seen_at = excluded.seen_at",
                           (owner, now, now))

    def last_seen(self) -> float | None:
        """When a serving scheduler was last alive (None if none ever served)."""
        rows = self._exec_sql("SELECT max(seen_at) AS seen FROM schedulers")
        return rows[0]["seen"] if rows else None

    def _exec_sql(self, sql: str, params: Any = ()) -> list[dict]:
        con = self.connect()
        try:
            return [dict(r) for r in con.execute(sql, params).fetchall()]
        finally:
            con.close()

    def stale(self) -> list[dict]:
        """Queued or running claims whose owner process is gone."""
        rows = self._exec_sql("SELECT run_id, owner, heartbeat_at FROM runs "
                              "WHERE status IN ('queued', 'running')")
        now = time.time()
        return [r for r in rows if not owner_alive(r["owner"], r["heartbeat_at"], now)]

    def abandon(self, run_id: int, old_owner: str | None, error: str) -> bool:
        """Release a dead owner's claim: to 'retry' if attempts remain, else 'failed'."""
        now = time.time()
        con = self.connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            cur = con.execute(queries()["abandon"], dict(run_id=run_id, old_owner=old_owner,
                                                         now=now, error=error))
            if cur.rowcount == 1:
                con.execute(queries()["abandon_attempt"], dict(run_id=run_id, now=now,
                                                               error=error))
            con.execute("COMMIT")
            return cur.rowcount == 1
        finally:
            con.close()

    # Reading -------------------------------------------------------------------------------------
    def get(self, run_id: int) -> dict | None:
        rows = self._exec_sql("SELECT * FROM runs WHERE run_id = ?", (run_id,))
        return _decode(rows[0]) if rows else None

    def attempts(self, run_id: int) -> list[dict]:
        return self._exec_sql("SELECT * FROM attempts WHERE run_id = ? ORDER BY attempt",
                              (run_id,))

    def runs(self, entry: str | None = None, status: str | None = None,
             limit: int = 50) -> list[dict]:
        return [_decode(r) for r in self._rows("history", dict(entry=entry, status=status,
                                                                limit=int(limit)))]

    def latest_published(self) -> list[dict]:
        return [_decode(r) for r in self._rows("latest_published")]

    def has(self, entry_id: str, scheduled_time: str) -> bool:
        return bool(self._exec_sql("SELECT 1 FROM runs WHERE entry_id = ? AND scheduled_time = ?",
                                   (entry_id, scheduled_time)))


def _decode(row: dict) -> dict:
    for key in ("parameters", "load_batches"):
        if row.get(key):
            row[key] = json.loads(row[key])
    return row


def open_history(path: Path | None = None) -> History:
    return History(Path(path) if path else db_path())
