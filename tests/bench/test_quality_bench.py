"""Benchmarks: disclosure control, SPC and data quality checks. Print figures, assert nothing
about time. Size from AGORA_BENCH_SCALE (settings().bench_scale); at 1.0 the data quality scan
covers 2 million A&E-shaped rows.

    AGORA_BENCH_SCALE=1.0 python -m pytest tests/bench/test_quality_bench.py -m bench -s
"""
from __future__ import annotations

import time

import duckdb
import numpy as np
import pandas as pd
import pytest

from agora import model, sdc
from agora.charts import spc
from agora.config import settings
from agora.dq import checks

pytestmark = [pytest.mark.bench, pytest.mark.filterwarnings("ignore:SPC segment")]
SCALE = settings().bench_scale


def rows(full: int, floor: int = 100_000) -> int:
    return max(floor, int(full * SCALE))


def timed(fn, repeat: int = 3):
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def per_value_hes(values):
    """Baseline: the rule applied one value at a time, as a scalar function would."""
    out = []
    for v in values:
        if v == 0:
            out.append(0)
        elif v <= sdc.SUPPRESSION_THRESHOLD:
            out.append(None)
        else:
            out.append(int(5 * np.floor(v / 5 + 0.5)))
    return out


def test_bench_sdc():
    n = rows(1_000_000)
    counts = np.random.default_rng(0).integers(0, 500, n)
    df = pd.DataFrame({"area": np.arange(n) % 1000, "n": counts})
    t_vec, out = timed(lambda: sdc.hes(df, ["n"]))
    t_loop, base = timed(lambda: per_value_hes(counts.tolist()), repeat=1)
    assert out["n"].isna().sum() == sum(v is None for v in base)
    t_check, _ = timed(lambda: sdc.check(out))
    print(f"\nsdc.hes on {n:,} cells: {t_vec * 1e3:.1f} ms ({n / t_vec / 1e6:.1f} M cells/s); "
          f"per-value Python baseline {t_loop * 1e3:.1f} ms; speed-up x{t_loop / t_vec:.1f}; "
          f"sdc.check {t_check * 1e3:.1f} ms")


def test_bench_spc():
    n = rows(500_000, 50_000)
    y = pd.Series(np.random.default_rng(1).normal(100, 5, n))
    t, r = timed(lambda: spc.xmr(y, rebase=[n // 2]))
    print(f"\nspc.xmr on {n:,} points (one rebase): {t * 1e3:.1f} ms "
          f"({n / t / 1e6:.2f} M points/s); {int(r['special_cause'].sum()):,} special-cause points")


SETUP = """
CREATE TABLE ae_src AS
SELECT i::VARCHAR AS attendance_id,
       CASE WHEN i % 997 = 0 THEN 'bad' ELSE lpad(to_hex(i), 64, '0') END AS person_id,
       false AS id_from_local,
       'RAJ0' || (i % 3 + 1)::VARCHAR AS site_code,
       CASE WHEN i % 1009 = 0 THEN '07' ELSE '0' || (i % 5 + 1)::VARCHAR END AS department_type,
       'walk_in' AS arrival_mode,
       TIMESTAMP '2025-04-01' + INTERVAL (i % 31536000) SECOND AS arrival_at
FROM range($n) t(i)
"""


def test_bench_dq_checks():
    n = rows(2_000_000)
    con = duckdb.connect()
    con.execute("SET threads = 2")
    t = model.table("ae_attendance")
    con.execute(t.ddl())
    con.execute(SETUP, {"n": n})
    con.execute(
        "INSERT INTO ae_attendance (attendance_id, person_id, id_from_local, site_code, "
        "department_type, arrival_mode, arrival_at, departure_at, acuity, source_org_code, "
        "load_batch_id, loaded_at) SELECT *, CASE WHEN attendance_id::BIGINT % 50 = 0 THEN NULL "
        "ELSE arrival_at + INTERVAL (attendance_id::BIGINT % 20000) SECOND END, "
        "attendance_id::BIGINT % 6, 'RAJ', attendance_id::BIGINT % 12, now() FROM ae_src")
    n_checks = len(checks.checks_for(t))
    t_sql, res = timed(lambda: checks.run_checks(con, ["ae_attendance"]))
    df = con.execute("SELECT * FROM ae_attendance").df()

    def pandas_baseline():
        """The same checks, vectorised in pandas on the table already in memory (not grouped
        by batch)."""
        from agora.dq import rules
        failed = {}
        for c in t.columns:
            s = df[c.name]
            if c.required or c.name in rules.IMPORTANT.get(t.name, ()):
                blank = (s.astype("string").str.strip().eq("").fillna(False)
                         if pd.api.types.is_string_dtype(s.dtype) else False)
                failed[c.name + ":null"] = int((s.isna() | blank).sum())
            if c.allowed:
                failed[c.name + ":allowed"] = int(
                    (s.notna() & ~s.astype(str).isin(c.allowed)).sum())
            if c.pattern:
                failed[c.name + ":pattern"] = int((s.notna() & ~s.astype(str).str.contains(
                    c.pattern, regex=True)).sum())
            if c.min is not None:
                failed[c.name + ":min"] = int((s < c.min).sum())
            if c.max is not None:
                failed[c.name + ":max"] = int((s > c.max).sum())
        failed["departure_before_arrival"] = int((df["departure_at"] < df["arrival_at"]).sum())
        failed["assessment_before_arrival"] = int(
            (df["initial_assessment_at"] < df["arrival_at"]).sum())
        return failed
    t_pd, base = timed(pandas_baseline, repeat=1)
    assert res.loc[res["check_id"] == "validity:ae_attendance.department_type:allowed",
                   "rows_failed"].sum() == base["department_type:allowed"]
    print(f"\ndq checks, ae_attendance {n:,} rows x {n_checks} checks (12 batches): "
          f"{t_sql * 1e3:.0f} ms ({n / t_sql / 1e6:.2f} M rows/s); the same checks in pandas on "
          f"the table in memory (not grouped) {t_pd * 1e3:.0f} ms; speed-up x{t_pd / t_sql:.1f}")
