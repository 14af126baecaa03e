"""Benchmark: rebuilding person_condition and person_risk (eFI, CMS, segments, risk model fit
and scoring) on a generated population of 1.2 million x AGORA_BENCH_SCALE people (default 0.01).
Baseline in the same run: one plain GROUP BY person_id pass over the same source tables."""
from __future__ import annotations

import os
import resource
import time
from pathlib import Path

import duckdb
import pytest

from agora import codelists, model
from agora.phm import rebuild

SCALE = float(os.environ.get("AGORA_BENCH_SCALE", "0.01"))
PEOPLE = int(1_200_000 * SCALE)
BASELINE = """
SELECT count(*) FROM (
    SELECT person_id, count(*) FROM gp_event GROUP BY person_id UNION ALL
    SELECT person_id, count(*) FROM gp_medication GROUP BY person_id UNION ALL
    SELECT person_id, count(*) FROM ae_attendance GROUP BY person_id UNION ALL
    SELECT person_id, count(*) FROM apc_spell GROUP BY person_id)
"""


@pytest.mark.bench
def test_phm_rebuild_bench(tmp_path):
    con = duckdb.connect(str(tmp_path / "bench.duckdb"))
    con.execute("SET threads = 2")
    for statement in model.ddl():
        con.execute(statement)
    started = time.perf_counter()
    con.register("bench_codes", codelists.all_codelists())
    params = {"n": PEOPLE, "seed": 0.42}
    for statement in Path(__file__).with_name("phm_bench_data.sql").read_text().split(";\n"):
        if statement.strip():
            con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement})
    generated = time.perf_counter() - started
    rows = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in ("person", "gp_event", "gp_medication", "ae_attendance", "apc_spell")}

    started, base_cpu = time.perf_counter(), time.process_time()
    con.execute(BASELINE).fetchall()
    baseline, base_cpu = time.perf_counter() - started, time.process_time() - base_cpu

    marks = []   # (step, start time)
    started, cpu = time.perf_counter(), time.process_time()
    result = rebuild(con, progress=lambda message: marks.append((message, time.perf_counter())))
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    ends = [t for _, t in marks[1:]] + [started + total]
    steps = [(message, end - t) for (message, t), end in zip(marks, ends, strict=True)]

    print(f"\nphm rebuild benchmark: scale {SCALE} ({PEOPLE:,} people), generated in "
          f"{generated:.1f} s")
    print("  rows: " + ", ".join(f"{t} {n:,}" for t, n in rows.items()))
    for message, seconds in steps:
        print(f"  {seconds:7.2f} s  {message}")
    print(f"  rebuild total {total:.2f} s wall, {cpu:.2f} s CPU (all threads), "
          f"{rows['person'] / total:,.0f} people/s")
    print(f"  baseline GROUP BY pass {baseline:.2f} s wall, {base_cpu:.2f} s CPU; ratio "
          f"{total / baseline:.1f}x wall, {cpu / max(base_cpu, 1e-9):.1f}x CPU")
    print(f"  load average during the run: {os.getloadavg()[0]:.1f} (2 cores shared)")
    print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB; "
          f"model AUC (test) "
          + (f"{result.model.evaluation['auc_test']:.3f}" if result.model else "n/a"))
    assert con.execute("SELECT count(*) FROM person_risk").fetchone()[0] == rows["person"]
