"""Benchmark: the partnership's report schedule for one day, and the per-run overhead.

Figures printed (never asserted):
  * bare papermill: one run of an empty notebook, in this process (the baseline);
  * our pipeline on the same empty notebook (claim, pooled kernel, papermill, SDC gate, HTML,
    atomic publish, history), steady state over consecutive runs; target under 1.5x the bare run;
  * every run of the schedule (all sites, PCNs, organisations: 100+ runs) with 1 and 2 workers:
    wall time, runs per minute, p50/p95 run time.

    AGORA_BENCH_RUNS=all AGORA_BENCH_SCALE=1.0 python -m pytest tests/bench/test_reports_bench.py -m bench -s

AGORA_BENCH_RUNS (default 12) limits the schedule runs; AGORA_BENCH_SCALE (default: the small
session store) builds a store at that scale (12 months), or AGORA_BENCH_DATA names an existing
data directory with a store.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EMPTY = ROOT / "tests" / "fixtures" / "notebooks" / "empty.ipynb"
RUNS = os.environ.get("AGORA_BENCH_RUNS", "12")
REPEATS = int(os.environ.get("AGORA_BENCH_REPEATS", "5"))

pytestmark = pytest.mark.bench


@pytest.fixture
def bench_store(request, tmp_path, monkeypatch):
    """A data directory holding a store: given, built at AGORA_BENCH_SCALE, or the small one."""
    if os.environ.get("AGORA_BENCH_DATA"):
        source = Path(os.environ["AGORA_BENCH_DATA"]) / "store"
    elif os.environ.get("AGORA_BENCH_SCALE"):
        built = tmp_path / "built"
        env = dict(os.environ, AGORA_DATA_DIR=str(built), AGORA_KEY_FILE=str(tmp_path / "k" / "k"))
        agora = str(Path(sys.executable).with_name("agora"))
        subprocess.run([agora, "synth", "--scale", os.environ["AGORA_BENCH_SCALE"], "--out",
                        str(tmp_path / "feeds")], env=env, check=True, capture_output=True)
        subprocess.run([agora, "ingest", "-q", str(tmp_path / "feeds")], env=env, check=True,
                       capture_output=True)
        source = built / "store"
    else:
        source = request.getfixturevalue("small_store").data_dir / "store"
    monkeypatch.setenv("AGORA_REPORTS_RETRIES", "0")
    monkeypatch.delenv("AGORA_TEMPLATES_DIR", raising=False)
    monkeypatch.delenv("AGORA_REPORTS_SCHEDULE", raising=False)
    return source


def fresh_data(source: Path, folder: Path, monkeypatch) -> Path:
    folder.mkdir(parents=True)
    shutil.copytree(source, folder / "store", symlinks=True)
    monkeypatch.setenv("AGORA_DATA_DIR", str(folder))
    return folder


def test_per_run_overhead_against_bare_papermill(bench_store, tmp_path, monkeypatch):
    import papermill

    from agora.reports.manual import manual_runs
    from agora.reports.scheduler import Scheduler

    fresh_data(bench_store, tmp_path / "d", monkeypatch)
    monkeypatch.setenv("AGORA_TEMPLATES_DIR", str(EMPTY.parent))
    monkeypatch.setenv("AGORA_REPORTS_SCHEDULE", str(tmp_path / "none.yaml"))  # template runs
    from agora.reports.kernels import KERNEL_ARGS

    bare, plain = [], []
    for i in range(REPEATS):
        for times, extra in ((bare, []), (plain, KERNEL_ARGS)):
            t = time.perf_counter()
            papermill.execute_notebook(str(EMPTY), str(tmp_path / f"bare{i}.ipynb"),
                                       parameters={"label": f"r{i}"}, progress_bar=False,
                                       extra_arguments=list(extra))
            times.append(time.perf_counter() - t)
    ours = {}
    for mode, warm_up in (("warm", None), ("plain", "")):
        kwargs = {} if warm_up is None else {"warm_up": warm_up}
        with Scheduler(workers=1, **kwargs) as s:
            claimed = [s.claim_manual(r) for i in range(REPEATS + 1)
                       for r in manual_runs("empty", [f"label={mode}{i}"])]
            s.run_claimed(claimed[:1])                   # first run: kernel pool starts cold
            t = time.perf_counter()
            outcomes = s.run_claimed(claimed[1:])
            ours[mode] = (time.perf_counter() - t) / REPEATS
        assert all(o.status == "succeeded" for o in outcomes)
    b, pl = statistics.median(bare), statistics.median(plain)
    print(f"\nbare papermill, empty notebook: median {b:.2f} s over {REPEATS} runs "
          f"(min {min(bare):.2f}, max {max(bare):.2f})")
    print(f"bare papermill, kernel without site IPython extensions (as report kernels run): "
          f"median {pl:.2f} s")
    for mode, label in (("plain", "spare kernel, no warm-up imports"),
                        ("warm", "spare kernel pre-importing pandas/DuckDB/altair (as scheduled)")):
        print(f"agora pipeline, empty notebook, {label}: {ours[mode]:.2f} s per run, steady state "
              f"over {REPEATS} consecutive runs (gate, HTML, publish, history included): "
              f"{ours[mode] / b:.2f}x the bare run, {ours[mode] / pl:.2f}x the bare run without "
              f"extensions (target under 1.5x)")


@pytest.mark.parametrize("workers", [1, 2])
def test_one_day_of_the_partnership_schedule(bench_store, tmp_path, monkeypatch, workers):
    from agora.reports import schedule
    from agora.reports.scheduler import Scheduler

    fresh_data(bench_store, tmp_path / "d", monkeypatch)
    runs = schedule.expand(schedule.load())
    chosen = runs if RUNS == "all" else runs[:: max(1, len(runs) // int(RUNS))][: int(RUNS)]
    with Scheduler(workers=workers) as s:
        claimed = [s.claim_manual(r) for r in chosen]
        t = time.perf_counter()
        outcomes = s.run_claimed(claimed)
        wall = time.perf_counter() - t
    ok = [o for o in outcomes if o.status == "succeeded"]
    durations = sorted(o.duration_s for o in outcomes)
    p95 = durations[min(len(durations) - 1, int(0.95 * len(durations)))]
    print(f"\nschedule: {len(outcomes)} of {len(runs)} runs, {workers} worker(s): wall "
          f"{wall:.1f} s, {60 * len(outcomes) / wall:.1f} runs/min, per run p50 "
          f"{statistics.median(durations):.2f} s p95 {p95:.2f} s; {len(ok)} succeeded")
    assert len(ok) == len(outcomes), [o.error for o in outcomes if o.status != "succeeded"]
