"""Benchmark: synthetic feed generation (rows/s, CPU, peak memory), against the I/O floor of
reading the same files and writing them back as plain CSV, measured in the same run.

AGORA_BENCH_SCALE: small (default, 0.01), medium (0.1), full (1.0) or a number. Figures are
printed, never asserted.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pyarrow.parquet as pq
import pytest

from agora.feeds import feed_for_file

SCALES = {"small": 0.01, "medium": 0.1, "full": 1.0}
CHILD = """
import json, resource, sys, time
from agora.synth import generate
t0, c0 = time.perf_counter(), time.process_time()
m = generate(sys.argv[1], float(sys.argv[2]), 42, months=int(sys.argv[3]))
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rows": sum(e["rows"] for e in m["files"]), "files": len(m["files"]),
                  "population": m["population"]}))
"""


def bench_scale() -> float:
    raw = os.environ.get("AGORA_BENCH_SCALE", "small")
    return SCALES[raw] if raw in SCALES else float(raw)


def io_floor(feeds_dir, out_dir) -> float:
    """Seconds to read every feed file and write it back as plain CSV (no synthesis)."""
    out_dir.mkdir()
    began = time.perf_counter()
    for path in sorted(feeds_dir.iterdir()):
        feed = feed_for_file(path.name)
        if feed.format == "parquet":
            table = pq.read_table(path)
        elif feed.format == "jsonl":
            table = pajson.read_json(path)
        else:
            enc = feed.read_options.get("encoding", "utf-8")
            table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding=enc),
                                   parse_options=pacsv.ParseOptions(
                                       delimiter=feed.read_options.get("delimiter", ",")))
        table = pa.table({c: table[c].cast(pa.string()) for c in table.column_names})
        pacsv.write_csv(table, out_dir / (path.name + ".csv"))
    return time.perf_counter() - began


@pytest.mark.bench
def test_generation_rows_per_second(tmp_path):
    scale = bench_scale()
    months = int(os.environ.get("AGORA_BENCH_MONTHS", "12"))
    out = tmp_path / "synth"
    proc = subprocess.run([sys.executable, "-c", CHILD, str(out), str(scale), str(months)],
                          capture_output=True, text=True, timeout=3600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    floor = io_floor(out / "feeds", tmp_path / "floor")
    size = sum(p.stat().st_size for p in (out / "feeds").iterdir())
    print(f"\nsynth scale {scale} x {months} months: {r['population']:,} people, "
          f"{r['files']} files, {r['rows']:,} rows, {size / 1e6:,.0f} MB")
    print(f"  wall {r['wall']:.1f} s ({r['rows'] / r['wall']:,.0f} rows/s), "
          f"CPU {r['cpu']:.1f} s ({r['rows'] / r['cpu']:,.0f} rows/CPU-s), "
          f"peak RSS {r['peak_mb']:,.0f} MB")
    print(f"  baseline (read the files, write plain CSV): {floor:.1f} s; "
          f"synth / baseline = {r['wall'] / floor:.1f}x")
    assert r["rows"] > 0
