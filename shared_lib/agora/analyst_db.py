"""The analyst's connection: the current store snapshot read-only, plus a private scratch database.

`connect()` returns one DuckDB connection per process. The current analyst snapshot is attached
read-only as `store`; the analyst's own database, `<scratch_dir>/<user>/scratch.duckdb`, is attached
read-write as `scratch` and is the default schema for new tables, so

    agora.sql("create table my_cohort as select person_id from person where sex = ?", ["F"])

writes to scratch while `person` is read from the store (search path: scratch, then store).
When a new snapshot is published, the next `connect()` (and so the next `agora.sql()`) closes the
old connection and opens the new snapshot; the scratch database carries over.
"""
from __future__ import annotations

import errno
import os
import pwd
import re
import stat
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from agora.config import settings
from agora.store.analyst import string_literal  # ATTACH takes no bind parameters

STORE = "store"
SCRATCH = "scratch"
USER_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")


class AccessError(RuntimeError):
    """The store or the scratch database cannot be opened."""


class ScratchWarning(UserWarning):
    """The scratch database is unavailable; the store is still readable."""


@dataclass
class _Open:
    key: tuple
    con: duckdb.DuckDBPyConnection
    setup: tuple[str, ...]


_lock = threading.RLock()
_current: _Open | None = None


def current_snapshot() -> Path:
    """Path of the current analyst snapshot (opt-outs removed), as published by `agora.store`."""
    from agora import store
    path = store.current_path(restricted=False)
    if not path.is_file():
        raise AccessError(f"no store snapshot at {path}: has the store been published "
                          "(`agora ingest`)?")
    return path


def user_name() -> str:
    """The Unix account running this process (not $USER, which anyone can set)."""
    name = pwd.getpwuid(os.getuid()).pw_name
    if not USER_PATTERN.match(name):
        raise AccessError(f"user name {name[:64]!r} cannot name a scratch database")
    return name


def scratch_path(user: str | None = None) -> Path:
    """Where `user`'s scratch database lives: `settings().scratch_dir/<user>/scratch.duckdb`, in
    the person's own 0700 folder (DuckDB writes a .wal beside it, so the folder must be private)."""
    user = user_name() if user is None else user
    if not USER_PATTERN.match(user):
        raise AccessError(f"user name {user[:64]!r} cannot name a scratch database")
    return settings().scratch_dir / user / "scratch.duckdb"


def _key(path: Path) -> tuple:
    st = path.stat()
    return (str(path.resolve()), st.st_ino, st.st_mtime_ns, st.st_size)


def _check_private(path: Path) -> None:
    """Refuse a scratch file that is not this user's own private regular file (in a shared
    scratch folder another user could plant one, or a link, to read what is written to it)."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return
    if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise PermissionError(errno.EPERM, "not a private file owned by this user")


def _attach_scratch(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """Attach the scratch database read-write; False (with a warning) when it cannot be.

    DuckDB lets one process at a time open a database file that someone writes: while another of
    the analyst's kernels holds scratch, this one reads the store without it.
    """
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _check_private(path)
        mask = os.umask(0o077)               # a new scratch file is private from the start
        try:
            con.execute(f"ATTACH {string_literal(path)} AS {SCRATCH}")
        finally:
            os.umask(mask)
        path.chmod(0o600)
        return True
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            warnings.warn(f"scratch database {path} is open in another of your sessions (one "
                          "kernel at a time can hold it): this session reads the store without "
                          "scratch; stop the other kernel and call agora.analyst_db.close() to "
                          "take it over", ScratchWarning, stacklevel=4)
            return False
        reason = str(exc)
    except OSError as exc:
        reason = exc.strerror or str(exc)
    warnings.warn(f"scratch database {path} unavailable ({reason}); the store is still readable",
                  ScratchWarning, stacklevel=4)
    return False


def _open(snapshot: Path, scratch: Path | None) -> tuple[duckdb.DuckDBPyConnection, tuple]:
    """A new connection to `snapshot` (and scratch), and the statements that set a session up."""
    snapshot = Path(snapshot)
    if not snapshot.is_file():
        raise AccessError(f"no store snapshot at {snapshot}")
    con = duckdb.connect(":memory:", config={"threads": settings().threads})
    try:
        con.execute(f"ATTACH {string_literal(snapshot)} AS {STORE} (READ_ONLY)")
    except duckdb.Error as exc:
        con.close()
        raise AccessError(f"cannot open store snapshot {snapshot}: {exc}") from None
    if scratch is not None and _attach_scratch(con, Path(scratch)):
        setup = (f"USE {SCRATCH}", f"SET search_path = '{SCRATCH},{STORE}'")
    else:
        setup = (f"USE {STORE}",)
    for statement in setup:
        con.execute(statement)
    return con, setup


def open_snapshot(snapshot: Path, scratch: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A new connection with `snapshot` attached read-only as `store` (and `scratch`, if given)."""
    return _open(snapshot, scratch)[0]


def connect(*, scratch: bool = True) -> duckdb.DuckDBPyConnection:
    """The process's connection to the current snapshot (reopened after a new publish)."""
    global _current
    with _lock:
        snapshot = current_snapshot()
        key = (_key(snapshot), scratch)
        if _current is not None and _current.key == key:
            return _current.con
        close()
        con, setup = _open(snapshot, scratch_path() if scratch else None)
        _current = _Open(key, con, setup)
        return con


def cursor() -> duckdb.DuckDBPyConnection:
    """A new cursor on the process's connection, set up like it (scratch first, then store).

    DuckDB cursors share the attached databases but not the session (default database, search
    path); tools that open cursors (the `%sql` magic) get them from here.
    """
    with _lock:
        con = connect()
        cur = con.cursor()
        for statement in _current.setup:
            cur.execute(statement)
        return cur


def close() -> None:
    """Close the process's connection (the next `connect()` opens a fresh one)."""
    global _current
    with _lock:
        if _current is not None:
            _current.con.close()
            _current = None


def sql(query: str, params: list | tuple | dict | None = None) -> pd.DataFrame:
    """Run `query` on the current snapshot (and scratch) with bind parameters; a DataFrame back.

    Use `?` or `$name` placeholders: `agora.sql("select * from person where sex = ?", ["F"])`.
    """
    if not isinstance(query, str) or not query.strip():
        raise ValueError("query must be a non-empty SQL string")
    if params is not None and not isinstance(params, (list, tuple, dict)):
        raise TypeError("params must be a list, tuple or dict of values to bind")
    with _lock:
        con = connect()
        return con.execute(query, params).df()
