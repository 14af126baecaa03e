"""Data quality checks, generated from the common data model and run as one scan per table.

Dimensions (check ids are ``<dimension>:<table>.<column or rule>[:<constraint>]``):

* completeness: required and important columns (`rules.IMPORTANT`) that are null or blank;
* validity: values outside a column's `allowed` set, not matching its `pattern`, or beyond its
  `min` / `max`;
* consistency: cross-column rules (`rules.CONSISTENCY`), for example departure before arrival;
* timeliness: each declared feed's last successful load against its expected interval.

Each table is read once: every check is a ``count(*) FILTER (WHERE ...)`` of one aggregate query,
grouped by `load_batch_id` for tables with lineage. Identifiers come from the model, values are
bind parameters. `post_load` (a store POST_LOAD hook) writes `dq_result` and copies the issues
register into each new snapshot's `dq_issue`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterable

import pandas as pd

from agora import model
from agora.dq import rules

SQL_DIR = Path(__file__).parent
RESULT_COLUMNS = ["check_id", "table_name", "load_batch_id", "rows_checked", "rows_failed",
                  "checked_at"]


@dataclass(frozen=True)
class Check:
    check_id: str
    table: str
    fails_when: str          # SQL condition, identifiers quoted, values as ? parameters
    params: tuple = ()
    columns: tuple[str, ...] = ()


def q(name: str) -> str:
    """A quoted identifier (names come from the model, never from users)."""
    return '"' + name.replace('"', '""') + '"'


def _column_checks(t: model.Table, c: model.Column) -> list[Check]:
    col, out = q(c.name), []
    if c.required or c.name in rules.IMPORTANT.get(t.name, ()):
        # blank text counts as missing; CASE keeps trim() off values that start with a
        # visible character (trim on every value is ~30x slower)
        missing = (f"(CASE WHEN {col} IS NULL OR {col} = '' THEN true WHEN ascii({col}) > 32 "
                   f"THEN false ELSE trim({col}) = '' END)") if c.type == "VARCHAR" \
            else f"({col} IS NULL)"
        out.append(Check(f"completeness:{t.name}.{c.name}", t.name, missing, columns=(c.name,)))
    text = f"CAST({col} AS VARCHAR)"
    if c.allowed:
        marks = ", ".join("?" for _ in c.allowed)
        out.append(Check(f"validity:{t.name}.{c.name}:allowed", t.name,
                         f"({col} IS NOT NULL AND {text} NOT IN ({marks}))",
                         tuple(str(v) for v in c.allowed), (c.name,)))
    if c.pattern:
        out.append(Check(f"validity:{t.name}.{c.name}:pattern", t.name,
                         f"({col} IS NOT NULL AND NOT regexp_matches({text}, ?))", (c.pattern,),
                         (c.name,)))
    if c.min is not None:
        out.append(Check(f"validity:{t.name}.{c.name}:min", t.name, f"({col} < ?)", (c.min,),
                         (c.name,)))
    if c.max is not None:
        out.append(Check(f"validity:{t.name}.{c.name}:max", t.name, f"({col} > ?)", (c.max,),
                         (c.name,)))
    return out


def checks_for(t: model.Table) -> list[Check]:
    """All row-level checks of one table: from its columns' constraints and the rules."""
    out = [ck for c in t.columns for ck in _column_checks(t, c)]
    out += [Check(f"consistency:{t.name}.{r.name}", t.name, f"({r.fails_when})", (), r.columns)
            for r in rules.CONSISTENCY if r.table == t.name]
    return out


def _present(con) -> dict[str, set[str]]:
    cols: dict[str, set[str]] = {}
    for t, c in con.execute((SQL_DIR / "present_columns.sql").read_text()).fetchall():
        cols.setdefault(t, set()).add(c)
    return cols


def _scan(con, t: model.Table, checks: list[Check], by_batch: bool, now: datetime
          ) -> pd.DataFrame:
    filters = ", ".join(f"count(*) FILTER (WHERE {ck.fails_when}) AS f{i}"
                        for i, ck in enumerate(checks))
    params = [p for ck in checks for p in ck.params]
    key = q("load_batch_id") if by_batch else "CAST(NULL AS BIGINT)"
    group = f" GROUP BY {q('load_batch_id')}" if by_batch else ""
    wide = con.execute(f"SELECT {key} AS load_batch_id, count(*) AS rows_checked, {filters} "
                       f"FROM {q(t.name)}{group}", params).df()
    if wide.empty:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    long = wide.melt(id_vars=["load_batch_id", "rows_checked"], var_name="f",
                     value_name="rows_failed")
    ids = {f"f{i}": ck.check_id for i, ck in enumerate(checks)}
    long["check_id"] = long["f"].map(ids)
    long["table_name"] = t.name
    long["checked_at"] = now
    return long[RESULT_COLUMNS]


def timeliness(con, now: datetime | None = None) -> pd.DataFrame:
    """One result per declared feed: failed (1 of 1) when its last load is older than expected
    or it was never loaded."""
    from agora.feeds import FEEDS
    now = now or datetime.now()
    last = con.execute((SQL_DIR / "timeliness.sql").read_text()).df().set_index("feed")
    rows = []
    for feed in FEEDS:
        days = rules.EXPECTED_DAYS.get(feed.name, rules.DEFAULT_EXPECTED_DAYS)
        seen = feed.name in last.index
        loaded = last.loc[feed.name, "last_loaded"] if seen else None
        late = not seen or pd.isna(loaded) or loaded < now - timedelta(days=days)
        rows.append({"check_id": f"timeliness:{feed.name}", "table_name": feed.table,
                     "load_batch_id": last.loc[feed.name, "last_batch"] if seen else None,
                     "rows_checked": 1, "rows_failed": int(late), "checked_at": now})
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def run_checks(con, tables: Iterable[str] | None = None, now: datetime | None = None
               ) -> pd.DataFrame:
    """Run every check on the tables present in `con` (all model tables by default): one row per
    check and load batch, in the shape of `dq_result`."""
    now = now or datetime.now()
    names = list(tables) if tables is not None else [t.name for t in model.TABLES]
    present = _present(con)
    frames = []
    for name in names:
        t = model.table(name)
        if t.kind == "operational" or name not in present:
            continue
        checks = [ck for ck in checks_for(t) if set(ck.columns) <= present[name]]
        if checks:
            by_batch = t.lineage and "load_batch_id" in present[name]
            frames.append(_scan(con, t, checks, by_batch, now))
    if "load_batch" in present and tables is None:
        frames.append(timeliness(con, now))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out["load_batch_id"] = out["load_batch_id"].astype("Int64")
    out[["rows_checked", "rows_failed"]] = out[["rows_checked", "rows_failed"]].astype("int64")
    return out


def write_results(con, results: pd.DataFrame) -> int:
    """Replace `dq_result` in a (read-write) snapshot with `results`; returns rows written."""
    con.register("_dq_results", results[RESULT_COLUMNS])
    try:
        con.execute("DELETE FROM dq_result")
        con.execute("INSERT INTO dq_result SELECT * FROM _dq_results")
    finally:
        con.unregister("_dq_results")
    return len(results)


def post_load(con) -> None:
    """Store POST_LOAD hook: check the new snapshot, write dq_result, copy the DQIR in."""
    from agora.dq import register
    write_results(con, run_checks(con))
    register.copy_into(con)
