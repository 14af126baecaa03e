"""Benchmark: the full ingestion pipeline against DuckDB alone bulk-loading the same files.

Scale from AGORA_BENCH_SCALE (default 0.01: a couple of minutes on 2 cores; 1.0 for the README
figures), 12 months; AGORA_BENCH_FEEDS may name a folder `agora synth` wrote earlier. Prints wall time, rows/s and peak memory of each, and the ratio. Targets
(reported, never asserted): pipeline within 2x of the raw load, peak memory under 8 GB at 1.0.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from agora.cli import main

HERE = Path(__file__).parent
SCALE = float(os.environ.get("AGORA_BENCH_SCALE", "0.01"))
MONTHS = int(os.environ.get("AGORA_BENCH_MONTHS", "12"))
FEEDS_DIR = os.environ.get("AGORA_BENCH_FEEDS")      # optional: an existing synth output folder


def child(mode: str, *args: str, env: dict) -> dict:
    out = subprocess.run([sys.executable, str(HERE / "ingest_bench_child.py"), mode, *args],
                         env=env, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.bench
@pytest.mark.timeout(4 * 3600)          # scale 1.0 on a shared 2-core machine takes a while
def test_ingest_pipeline_against_raw_duckdb_load(tmp_path, monkeypatch):
    env = {**os.environ, "AGORA_DATA_DIR": str(tmp_path / "data"),
           "AGORA_KEY_FILE": str(tmp_path / "keys" / "key")}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    t0 = time.perf_counter()
    if FEEDS_DIR:                       # feeds made earlier by `agora synth` (saves the wait)
        src = Path(FEEDS_DIR)
    else:
        src = tmp_path / "synth"
        r = CliRunner().invoke(main, ["synth", "--scale", str(SCALE), "--months", str(MONTHS),
                                      "--seed", "7", "--out", str(src)])
        assert r.exit_code == 0, r.output
    synth_s = time.perf_counter() - t0
    scale = json.loads((src / "manifest.json").read_text())["scale"]
    size_mb = sum(f.stat().st_size for f in (src / "feeds").iterdir()) / 2**20
    files = len(list((src / "feeds").iterdir()))

    raw = child("raw", str(src), str(tmp_path / "raw.duckdb"), env=env)
    print(f"\n  raw load done: {raw}", flush=True)
    pipe = child("pipeline", str(src), env=env)
    ratio = pipe["wall_s"] / raw["wall_s"]
    print(f"\ningest benchmark: scale {scale}, {files} files, "
          f"{size_mb:,.0f} MB of feeds (synth {synth_s:.1f} s)")
    for m in (raw, pipe):
        print(f"  {m['mode']:<9} {m['rows']:>12,} rows  {m['wall_s']:>8.1f} s  "
              f"{m['rows'] / m['wall_s']:>12,.0f} rows/s  peak {m['peak_mb']:,} MB")
    print(f"  pipeline / raw wall time: {ratio:.2f}x (target <= 2x); "
          f"pipeline peak memory {pipe['peak_mb'] / 1024:.2f} GB (target < 8 GB)")
    assert pipe["rows"] > 0 and raw["rows"] > 0
