"""The data quality issues register (DQIR): log -> triage -> prioritise -> fix -> close.

Issues live in a small DuckDB file that data stewards write, ``settings().dqir_dir /
"dqir.duckdb"`` (a setgid folder of the stewards' Unix group), apart from the store (which is rebuilt on each load). Its `dq_issue` table has
the store's `dq_issue` shape and is copied into each new snapshot at publish, so analysts and
dashboards read the register with everything else; every change is also appended to
`dq_issue_event`. Connections are short, so stewards and loads take turns on the file.
"""
from __future__ import annotations

import os
import re
import time
import warnings
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from agora import model
from agora.config import settings

FILE_NAME = "dqir.duckdb"
STATUSES = ("logged", "triaged", "prioritised", "fixing", "fixed", "closed")
OPEN = STATUSES[:-1]
PRIORITIES = ("low", "medium", "high")
# Allowed moves: forward through the workflow, close early (duplicate / not an issue), step back
# when a fix is blocked or does not hold, and reopen a closed issue.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "logged": ("triaged", "closed"),
    "triaged": ("prioritised", "closed"),
    "prioritised": ("fixing", "closed"),
    "fixing": ("fixed", "prioritised"),
    "fixed": ("closed", "fixing"),
    "closed": ("logged",),
}
MAX_TITLE, MAX_NOTE = 200, 4000
ACTOR = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
ORG = re.compile(r"^[A-Z0-9]{3,10}$")
BUSY_WAIT_S = 10.0
COLUMNS = [c.name for c in model.table("dq_issue").all_columns]
HERE = Path(__file__).parent


class DQIRError(ValueError):
    """A register request that cannot be carried out (bad input, unknown issue, illegal move)."""


class DQIRBusy(DQIRError):
    """Another process held the register for too long."""


@lru_cache(maxsize=None)
def _sql(name: str) -> str:
    return (HERE / f"{name}.sql").read_text()


def path() -> Path:
    return settings().dqir_dir / FILE_NAME


@contextmanager
def _connect(read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    p = path()
    if read_only and not p.exists():
        con = duckdb.connect()           # an empty register
        _schema(con)
        try:
            yield con
        finally:
            con.close()
        return
    p.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + BUSY_WAIT_S
    mask = os.umask(0o007)                 # the register and its .wal stay writable by stewards
    try:
        while True:
            try:
                con = duckdb.connect(str(p), read_only=read_only)
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    raise DQIRBusy(f"the issues register {p} is busy: {exc}") from None
                time.sleep(0.1)
    finally:
        os.umask(mask)
    try:
        if not read_only:
            _schema(con)
        yield con
    finally:
        con.close()


def _schema(con) -> None:
    con.execute(model.table("dq_issue").ddl())
    con.execute(_sql("dqir_schema"))


# Validation --------------------------------------------------------------------------------
def _text(value, what: str, limit: int, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise DQIRError(f"{what} is required")
        return None
    if not isinstance(value, str):
        raise DQIRError(f"{what} must be text")
    value = value.strip()
    if len(value) > limit:
        raise DQIRError(f"{what} is {len(value)} characters; at most {limit}")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in value):
        raise DQIRError(f"{what} contains control characters")
    return value


def _actor(value) -> str:
    if not isinstance(value, str) or not ACTOR.match(value):
        raise DQIRError(f"who: {value!r} is not a user name (letters, digits, . _ @ -)")
    return value


def _table(value) -> str | None:
    if value in (None, ""):
        return None
    if value not in model.BY_NAME:
        raise DQIRError(f"table {value!r} is not a table of the common data model")
    return value


def _org(value) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not ORG.match(value.strip().upper()):
        raise DQIRError(f"organisation {value!r} is not an ODS/ONS code")
    return value.strip().upper()


def _priority(value) -> str | None:
    if value in (None, ""):
        return None
    if value not in PRIORITIES:
        raise DQIRError(f"priority must be one of {PRIORITIES}, got {value!r}")
    return value


def _issue_id(value) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise DQIRError(f"issue number {value!r} is not a number") from None
    if isinstance(value, float) and value != n or n < 1 or n > 2**62:
        raise DQIRError(f"issue number {value!r} is out of range")
    return n


# Workflow ----------------------------------------------------------------------------------
def log(title: str, who: str, table: str | None = None, org: str | None = None,
        note: str | None = None) -> int:
    """Log a new issue; returns its number."""
    title = _text(title, "title", MAX_TITLE, required=True)
    who, table, org = _actor(who), _table(table), _org(org)
    note = _text(note, "note", MAX_NOTE)
    now = datetime.now()
    with _connect() as con:
        con.execute("BEGIN")
        n = con.execute("SELECT coalesce(max(issue_id), 0) + 1 FROM dq_issue").fetchone()[0]
        con.execute(_sql("issue_insert"), {"issue_id": n, "title": title, "table_name": table,
                                           "org": org, "who": who, "now": now,
                                           "notes": _note_line(now, who, note)})
        _event(con, n, now, who, None, "logged", None, note)
        con.execute("COMMIT")
    return int(n)


def _note_line(now: datetime, who: str, note: str | None, status: str = "logged") -> str | None:
    return f"[{now:%Y-%m-%d %H:%M} {who} {status}] {note}" if note else None


def _event(con, n, now, who, old, new, priority, note) -> None:
    con.execute("INSERT INTO dq_issue_event VALUES (?, ?, ?, ?, ?, ?, ?)",
                [n, now, who, old, new, priority, note])


def update(issue_id, status: str, who: str, note: str | None = None,
           priority: str | None = None, table: str | None = None, org: str | None = None
           ) -> dict:
    """Move an issue to `status` (see TRANSITIONS), optionally setting priority, table or
    organisation and adding a note. Prioritising needs a priority; closing needs a note."""
    n, who = _issue_id(issue_id), _actor(who)
    if status not in STATUSES:
        raise DQIRError(f"status must be one of {STATUSES}, got {status!r}")
    note, priority = _text(note, "note", MAX_NOTE), _priority(priority)
    table, org = _table(table), _org(org)
    now = datetime.now()
    with _connect() as con:
        con.execute("BEGIN")
        row = con.execute("SELECT status, priority, notes FROM dq_issue WHERE issue_id = ?",
                          [n]).fetchone()
        if row is None:
            con.execute("ROLLBACK")
            raise DQIRError(f"no issue {n} in the register")
        old, old_priority, notes = row
        if status not in TRANSITIONS[old]:
            con.execute("ROLLBACK")
            raise DQIRError(f"issue {n} is {old}: it cannot move to {status} (from {old} it can "
                            f"move to {', '.join(TRANSITIONS[old])})")
        if status == "prioritised" and not (priority or old_priority):
            con.execute("ROLLBACK")
            raise DQIRError(f"give a priority ({', '.join(PRIORITIES)}) to prioritise issue {n}")
        if status == "closed" and not note:
            con.execute("ROLLBACK")
            raise DQIRError(f"say why issue {n} is closed (a note)")
        line = _note_line(now, who, note, status)
        new_notes = "\n".join(x for x in (notes, line) if x) or None
        con.execute(_sql("issue_update"), {"status": status, "priority": priority,
                                           "table_name": table, "org": org, "now": now,
                                           "notes": new_notes, "issue_id": n})
        _event(con, n, now, who, old, status, priority, note)
        con.execute("COMMIT")
    return get(n)


def triage(issue_id, who: str, note: str | None = None, table: str | None = None,
           org: str | None = None) -> dict:
    """Triage a logged issue: confirm it, and name the table and responsible organisation."""
    return update(issue_id, "triaged", who, note, table=table, org=org)


def prioritise(issue_id, priority: str, who: str, note: str | None = None) -> dict:
    return update(issue_id, "prioritised", who, note, priority=priority)


def close(issue_id, who: str, note: str) -> dict:
    return update(issue_id, "closed", who, note)


def get(issue_id) -> dict:
    n = _issue_id(issue_id)
    with _connect(read_only=True) as con:
        df = con.execute("SELECT * FROM dq_issue WHERE issue_id = ?", [n]).df()
    if df.empty:
        raise DQIRError(f"no issue {n} in the register")
    return df.iloc[0].to_dict()


def issues(status: str | None = None, org: str | None = None, open_only: bool = False
           ) -> pd.DataFrame:
    """Issues in the register, newest first, filtered by status, organisation, or open."""
    if status is not None and status not in STATUSES:
        raise DQIRError(f"status must be one of {STATUSES}, got {status!r}")
    org = _org(org)
    with _connect(read_only=True) as con:
        return con.execute(_sql("issue_list"), {"status": status, "org": org,
                                                "open_only": bool(open_only)}).df()


def history(issue_id) -> pd.DataFrame:
    """Every change of one issue, oldest first."""
    n = _issue_id(issue_id)
    with _connect(read_only=True) as con:
        return con.execute("SELECT * FROM dq_issue_event WHERE issue_id = ? ORDER BY changed_at",
                           [n]).df()


def copy_into(con) -> int:
    """Replace the snapshot's `dq_issue` with the register's issues (POST_LOAD, at publish);
    returns the number copied. If the register stays busy, the snapshot keeps the copy it
    inherited from the previous one (a warning, not a failed load): -1."""
    try:
        with _connect(read_only=True) as reg:
            df = reg.execute("SELECT * FROM dq_issue ORDER BY issue_id").df()
    except DQIRBusy as exc:
        warnings.warn(f"issues register not copied into this snapshot: {exc}", stacklevel=2)
        return -1
    con.register("_dqir", df[COLUMNS])
    try:
        con.execute("DELETE FROM dq_issue")
        con.execute("INSERT INTO dq_issue SELECT * FROM _dqir")
    finally:
        con.unregister("_dqir")
    return len(df)
