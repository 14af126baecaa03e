"""Benchmark: every metric from a warm read-only connection, p50/p95 (whole year, monthly series,
one breakdown), against the same metric computed in pandas from the raw tables in the same run,
with and without reading those tables from the store first (and checked equal to it).

Scale from AGORA_BENCH_SCALE (default small); 1.0 is a year of the full partnership. Prints a
table; asserts only that SQL and pandas agree, never on time. Target: p95 < 0.5 s at 1.0.
    AGORA_BENCH_SCALE=1.0 python -m pytest tests/bench/test_metrics_bench.py -m bench -s
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from agora import metrics
from agora.analyst_db import open_snapshot
from agora.config import settings

import metrics_pandas

pytestmark = pytest.mark.bench

YEAR = dict(period_start="2025-04-01", period_end="2026-03-31")
SQL_RUNS, VARIANT_RUNS, PANDAS_RUNS = 15, 5, 3
RAW = ("ae_attendance", "ambulance_incident", "apc_spell", "bed_daily", "rtt_pathway",
       "cancer_pathway")
DIMENSION = ("category", "pathway", "group")


def timed(fn, runs: int) -> tuple[list[float], object]:
    fn()                                                   # warm
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def p(times: list[float], q: float) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[int(q * 100) - 1] \
        if len(times) > 1 else times[0]


@pytest.fixture(scope="module")
def bench_store(tmp_path_factory):
    scale = settings().bench_scale
    path = tmp_path_factory.mktemp("bench") / "snapshot.duckdb"
    sql = (Path(__file__).with_name("metrics_bench_store.sql")).read_text()
    t0 = time.perf_counter()
    con = duckdb.connect(str(path))
    for statement in (s for s in sql.split(";\n") if s.strip()):
        code = "\n".join(line.split("--", 1)[0] for line in statement.splitlines())
        if "$scale" in code:
            con.execute(statement, {"scale": scale})
        else:
            con.execute(statement)
    counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in RAW}
    con.close()
    print(f"\nbench store at scale {scale}: built in {time.perf_counter() - t0:.1f} s, "
          + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    return path


def sql_values(df: pd.DataFrame, baseline) -> pd.Series:
    if isinstance(baseline, pd.Series):
        key = next(c for c in DIMENSION if c in df.columns)
        return df.set_index(key)["value"].reindex(baseline.index)
    return df["value"]


@pytest.mark.timeout(3600)
def test_metrics_p50_p95_against_pandas(bench_store, capsys):
    con = open_snapshot(bench_store)
    raw, load = {}, {}
    for t in RAW:                         # pandas needs the raw tables in memory first
        load[t], raw[t] = timed(lambda: con.execute(f'SELECT * FROM "{t}"').df(), PANDAS_RUNS)
    with capsys.disabled():
        print(f"\nmetrics at scale {settings().bench_scale}, one year, seconds "
              f"(warm read-only connection, {SQL_RUNS} runs; pandas {PANDAS_RUNS} runs)")
        print(f"{'metric':24} {'sql p50':>8} {'sql p95':>8} {'monthly p95':>11} "
              f"{'split p95':>10} {'pandas p50':>10} {'+load p50':>9} {'speed-up':>8}  same")
    disagree = []
    for name in metrics.METRICS:
        sql_times, df = timed(lambda: metrics.run(name, con, **YEAR), SQL_RUNS)
        m = metrics.METRICS[name]
        monthly = timed(lambda: metrics.run(name, con, grain="month", **YEAR),
                        VARIANT_RUNS)[0] if "month" in m.grains else [float("nan")]
        split = "imd_decile" if "imd_decile" in m.breakdowns else m.breakdowns[-1]
        split_times = timed(lambda: metrics.run(name, con, breakdown=split, **YEAR), VARIANT_RUNS)[0]
        baseline = getattr(metrics_pandas, name)
        pd_times, expected = timed(lambda: baseline(raw, YEAR["period_start"],
                                                    YEAR["period_end"]), PANDAS_RUNS)
        ok = metrics_pandas.same(sql_values(df, expected), expected)
        if not ok:
            disagree.append((name, df["value"].tolist()[:5], metrics_pandas.as_series(expected)
                             .tolist()[:5]))
        with_load = p(pd_times, .5) + sum(p(load[t], .5) for t in metrics_pandas.TABLES[name])
        line = (f"{name:24} {p(sql_times, .5):8.3f} {p(sql_times, .95):8.3f} "
                f"{p(monthly, .95):11.3f} {p(split_times, .95):10.3f} "
                f"{p(pd_times, .5):10.3f} {with_load:9.3f} {with_load / p(sql_times, .5):7.1f}x  "
                f"{'yes' if ok else 'NO'}")
        with capsys.disabled():
            print(line, flush=True)
    con.close()
    with capsys.disabled():
        print(f"monthly: grain='month' (12 points), split: breakdown='imd_decile' (or 'site' "
              f"where the metric has no people), {VARIANT_RUNS} runs each; +load: pandas including "
              "reading its raw tables from the store; speed-up: pandas+load p50 / sql p50")
    assert not disagree, disagree
