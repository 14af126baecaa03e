"""What the landing page says about the data: last load per feed and the snapshot in use."""
from __future__ import annotations

import contextlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

SQL = (Path(__file__).with_name("freshness.sql")).read_text()


def snapshot() -> Path | None:
    """The current analyst snapshot of the store, or None when nothing is published yet."""
    try:
        from ..store import current_path
        path = Path(current_path())
    except Exception:  # no store built yet, or the store module is unavailable
        return None
    return path if path.exists() else None


def stamp() -> tuple:
    """Changes whenever a new store snapshot is published."""
    path = snapshot()
    if path is None:
        return ()
    with contextlib.suppress(OSError):
        return (str(path.resolve()), path.stat().st_mtime_ns)
    return ()


def feeds() -> list[dict[str, Any]]:
    """Last successful load per feed and organisation ([] when there is no store)."""
    path = snapshot()
    if path is None:
        return []
    import duckdb

    try:
        with duckdb.connect(str(path), read_only=True) as con:
            cur = con.execute(SQL)
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, row)) for row in cur.fetchall()]
    except duckdb.Error:
        return []


def snapshot_time() -> datetime | None:
    path = snapshot()
    if path is None:
        return None
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
