"""Load one file into the snapshot being built: one load_batch, every row loaded or quarantined.

Steps, all in DuckDB SQL over temporary tables (never per-row Python): read (`raw`), identity
(`nhs_raw_map`, `local_map`: each distinct identifier hashed once per run), parse and check (`typed`),
decide (`verdict`: reason, exact duplicate, superseded version), then write the model rows,
replace earlier versions, build `person`, unpivot child tables and record quarantine and counts.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from .. import model
from .errors import FileRejected
from .mapping import Plan
from .quarantine import keep_raw, record
from .readers import MAX_LINE_BYTES, READERS
from .sqltext import Params, ident, render, statements
from .validate import typed_sql

@dataclass
class BatchResult:
    batch: int | None
    feed: str
    file_name: str
    status: str                   # loaded | rejected | skipped
    received: int = 0
    loaded: int = 0
    quarantined: int = 0
    error: str | None = None


def scan(path: Path) -> tuple[str, int]:
    """SHA-256 of the file and its longest line in bytes, in one pass (numpy per chunk)."""
    h = hashlib.sha256()
    longest, last_nl, offset = 0, -1, 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
            nl = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10) + offset
            if nl.size:
                longest = max(longest, int(nl[0] - last_nl - 1),
                              int(np.diff(nl).max(initial=1)) - 1)
                last_nl = int(nl[-1])
            offset += len(chunk)
    return h.hexdigest(), max(longest, offset - last_nl - 1)


def batch_for(con, sha256: str) -> tuple[int, tuple[int, str] | None]:
    """The next batch number, and (batch, status) when this content was seen before."""
    row = con.execute(
        "SELECT (SELECT coalesce(max(load_batch_id), 0) + 1 FROM load_batch), "
        "(SELECT [load_batch_id::VARCHAR, status] FROM load_batch WHERE file_sha256 = $s "
        "ORDER BY load_batch_id LIMIT 1)", {"s": sha256}).fetchone()
    return row[0], (int(row[1][0]), row[1][1]) if row[1] else None


def _run_script(con, name: str, params: dict, **slots: str) -> None:
    """Run a multi-statement template, giving each statement only the parameters it uses."""
    for stmt in statements(name, **slots):
        con.execute(stmt, {k: v for k, v in params.items() if re.search(rf"\${k}\b", stmt)})


def _identity(con, plan: Plan, key_params: dict) -> None:
    feed = plan.feed
    if not plan.has_identity:
        return
    if feed.nhs_number:
        _run_script(con, "nhs_ids", key_params, nhs=ident(feed.nhs_number))
    if feed.local_id:
        nhs = feed.nhs_number
        sql = render("local_ids", local=ident(feed.local_id),
                     nhs_join=(f"LEFT JOIN nhs_raw_map n ON n.raw_value = raw.{ident(nhs)}"
                               if nhs else ""),
                     without_nhs="n.person_id IS NULL AND" if nhs else "")
        con.execute(sql, {**key_params, "org": feed.org_code})


def _verdict(con, plan: Plan) -> None:
    key = plan.model_key()
    if key is not None:
        exprs = [ident(k) for k in key]
    elif plan.raw_key():
        exprs = [ident("v." + k) for k in plan.raw_key()]
    else:                                  # no record key: rows are records, by content
        exprs = ["_h"]
    con.execute(render("verdict", key=", ".join(exprs)))


def _write(con, plan: Plan, batch: int, loaded_at: datetime) -> None:
    table = plan.table
    t = ident(table.name)
    lineage = {"org": plan.feed.org_code, "batch": batch, "loaded_at": loaded_at}
    if plan.replace_all:
        con.execute(f"DELETE FROM {t}")
    else:
        key = plan.model_key()
        if key:
            con.execute(render("replace", table=t,
                               key_cols=", ".join(ident(k) for k in key),
                               key_match=" AND ".join(f"t.{ident(k)} IS NOT DISTINCT FROM "
                                                      f"n.{ident(k)}" for k in key)),
                        {"org": plan.feed.org_code})
    cols = list(plan.target_columns)
    values = [ident(c) for c in cols]
    params: dict = {}
    if table.lineage:
        cols += ["source_org_code", "load_batch_id", "loaded_at"]
        values += ["$org", "$batch", "$loaded_at"]
        params = lineage
    con.execute(render("insert", table=t, columns=", ".join(ident(c) for c in cols),
                       values=", ".join(values)), params)
    if plan.builds_person:
        _run_script(con, "person", lineage)
    for u in plan.unpivots:
        _unpivot(con, plan, u, lineage)


def _unpivot(con, plan: Plan, u, lineage: dict) -> None:
    child = model.table(u.table)
    keys = list(u.key)                               # child model column -> parent provider
    parent_cols = {f.provider: f.column.name for f in plan.fields}
    key_exprs = [ident(parent_cols.get(p, "v." + p)) for p in u.key.values()]
    match = " AND ".join(f"c.{ident(k)} = n.{ident(k)}" for k in keys)
    con.execute(
        f"DELETE FROM {ident(child.name)} AS c USING (SELECT DISTINCT "
        + ", ".join(f"{e} AS {ident(k)}" for e, k in zip(key_exprs, keys))
        + " FROM typed JOIN verdict USING (_row) WHERE verdict.reason IS NULL) AS n "
        f"WHERE c.source_org_code = $org AND {match}", {"org": lineage["org"]})
    cols = keys + [u.position, u.value] + list(u.parallel) + ["source_org_code",
                                                              "load_batch_id", "loaded_at"]
    selects = []
    p = Params(**lineage)
    for i in range(1, len(u.columns) + 1):
        parallel = [ident(f"u.{u.table}.{pc}.{i}") for pc in u.parallel]
        selects.append("SELECT _row, " + ", ".join(
            key_exprs + [p.add(i), ident(f"u.{u.table}.{i}")] + parallel
            + ["$org", "$batch", "$loaded_at"])
            + f" FROM typed JOIN verdict USING (_row) WHERE verdict.reason IS NULL "
              f"AND {ident(f'u.{u.table}.{i}')} IS NOT NULL")
    union = " UNION ALL ".join(selects)
    con.execute(f"INSERT INTO {ident(child.name)} ({', '.join(ident(c) for c in cols)}) "
                f"SELECT * EXCLUDE (_row) FROM ({union}) ORDER BY _row, 3", p.values)


def _record_batch(con, result: BatchResult, plan_feed, sha256: str, started: datetime) -> None:
    con.execute(render("load_batch"), {
        "batch": result.batch, "feed": result.feed, "org": plan_feed.org_code,
        "file_name": result.file_name, "sha256": sha256, "status": result.status,
        "received": result.received, "loaded": result.loaded,
        "quarantined": result.quarantined, "error": result.error, "started_at": started})


def read_raw(con, scratch, path: Path, feed, longest: int, work: Path) -> list[str]:
    """Read the file on the scratch connection (where a failure harms nothing) and hand it to
    the load connection as `raw` (Arrow, with `_rn` = row number); return the file's columns."""
    if READERS.is_text(feed.format) and longest > MAX_LINE_BYTES:
        raise FileRejected(path.name, f"a line of {longest:,} bytes is longer than the "
                                      f"{MAX_LINE_BYTES:,} byte limit")
    try:
        columns = READERS.read(scratch, path, feed, work)
        table = scratch.execute("SELECT rowid - (SELECT min(rowid) FROM raw) + 1 AS _rn, * "
                                "FROM raw ORDER BY rowid").to_arrow_table()
    finally:
        scratch.execute("DROP TABLE IF EXISTS raw")
    con.register("raw", table)
    return columns


def load_file(con, scratch, path: Path, plan: Plan, key_params: dict, work: Path,
              quarantine_folder: Path, postcode_table: bool) -> BatchResult:
    """Load one file as one batch, inside the run's transaction on `con` (read-write)."""
    feed = plan.feed
    sha, longest = scan(path)
    batch, seen = batch_for(con, sha)
    if seen:
        return BatchResult(seen[0], feed.name, path.name, "skipped",
                           error=f"already {seen[1]} in batch {seen[0]}")
    started = datetime.now()
    result = BatchResult(batch, feed.name, path.name, "loaded")
    try:
        provider_columns = read_raw(con, scratch, path, feed, longest, work)
    except FileRejected as exc:
        result.status, result.error = "rejected", exc.problem
        _record_batch(con, result, feed, sha, started)
        return result
    try:
        nulls = list(feed.read_options.get("null_values", []))
        _identity(con, plan, key_params)
        sql, params = typed_sql(plan, provider_columns, nulls, postcode_table)
        params.set_variables(con)
        con.execute(sql, params.values)
        _verdict(con, plan)
        result.received, result.quarantined = con.execute(
            "SELECT count(*), count(reason) FROM verdict").fetchone()
        result.loaded = result.received - result.quarantined
        _write(con, plan, batch, started)
        if result.quarantined:
            record(con, batch, feed.name)
            keep_raw(con, quarantine_folder, batch, feed.name)
        _record_batch(con, result, feed, sha, started)
    finally:
        con.unregister("raw")
    return result
