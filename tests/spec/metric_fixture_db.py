"""Small hand-built stores for metric spec tests: every model table, only the rows a test gives.

`build(path, ae_attendance=[{...}], person=[{...}])` writes a DuckDB file with the DDL of
`agora.model`, filling the columns a test does not care about (lineage, id_from_local) with
fixed values; `run(path, name, **kw)` runs a metric on it through a read-only snapshot connection.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import pandas as pd

from agora import metrics, model
from agora.analyst_db import open_snapshot

LINEAGE = {"source_org_code": "RAJ", "load_batch_id": 1,
           "loaded_at": dt.datetime(2026, 4, 1, 6, 0)}


def pid(n: int | str) -> str:
    """A person_id shaped like a pseudonym (64 hex characters) for person `n`."""
    return hashlib.sha256(f"person-{n}".encode()).hexdigest()


def build(path: Path, **tables: list[dict]) -> Path:
    con = duckdb.connect(str(path))
    for statement in model.ddl():
        con.execute(statement)
    for name, rows in tables.items():
        t = model.table(name)
        cols = {c.name for c in t.all_columns}
        filled = []
        for row in rows:
            row = dict(row)
            if t.lineage:
                for k, v in LINEAGE.items():
                    row.setdefault(k, v)
            if "id_from_local" in cols and name != "ambulance_incident":
                row.setdefault("id_from_local", False)
            filled.append(row)
        frame = pd.DataFrame(filled)
        con.register("incoming", frame)
        con.execute(f'INSERT INTO "{name}" BY NAME SELECT * FROM incoming')
        con.unregister("incoming")
    con.close()
    return path


def run(path: Path, name: str, **kw) -> pd.DataFrame:
    con = open_snapshot(path)
    try:
        return metrics.run(name, con, **kw)
    finally:
        con.close()


def rows(df: pd.DataFrame, *columns: str) -> list[tuple]:
    """The given columns of a result as plain tuples (dates as ISO strings), for comparison."""
    out = []
    for rec in df[list(columns)].itertuples(index=False):
        out.append(tuple(v.date().isoformat() if isinstance(v, pd.Timestamp) else
                         (None if pd.isna(v) else v) for v in rec))
    return out
