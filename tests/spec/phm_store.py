"""Tiny hand-built stores for the population health spec tests (real DuckDB files)."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from agora import model

LINEAGE = {"source_org_code": "RAJ", "load_batch_id": 1,
           "loaded_at": dt.datetime(2026, 4, 1)}
DEFAULTS = {
    "person": {"id_from_local": False, "sex": "F", "opt_out": False, "lsoa_code": None,
               "practice_code": "F81001"},
    "gp_event": {"id_from_local": False},
    "gp_medication": {"id_from_local": False},
    "ae_attendance": {"id_from_local": False, "site_code": "RAJ01", "department_type": "01"},
    "apc_spell": {"id_from_local": False, "admission_method": "21", "is_emergency": True},
}


def pid(n: int, prefix: str = "0") -> str:
    """A valid pseudonym for person n; the first character decides train (0-a) or test (b-f)."""
    return prefix + f"{n:063x}"


def make_store(path, **tables: list[dict]) -> duckdb.DuckDBPyConnection:
    """A DuckDB file with every model table, holding the given rows (defaults filled in)."""
    con = duckdb.connect(str(path))
    for statement in model.ddl():
        con.execute(statement)
    for name, rows in tables.items():
        if not rows:
            continue
        table = model.table(name)
        defaults = DEFAULTS.get(name, {}) | (LINEAGE if table.lineage else {})
        frame = pd.DataFrame([defaults | row for row in rows])
        con.register("rows_frame", frame)
        con.execute(f'INSERT INTO "{name}" BY NAME SELECT * FROM rows_frame')
        con.unregister("rows_frame")
    return con


def codelist(name: str, system: str, *codes: str, version: str = "v1") -> list[dict]:
    return [{"codelist": name, "version": version, "system": system, "code": c} for c in codes]
