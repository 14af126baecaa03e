"""One measured run in its own process (so peak memory is its own): `raw` bulk-loads the feed
files into plain DuckDB tables; `pipeline` runs the full ingestion. Prints one JSON line."""
from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def raw_load(src: Path, db: Path) -> int:
    """DuckDB alone: every file into a plain table per feed, as text (as the feeds hold it)."""
    import duckdb

    from agora.config import settings
    from agora.feeds import feed_for_file

    s = settings()
    con = duckdb.connect(str(db))
    con.execute("SET threads = $t", {"t": s.threads})
    con.execute("SET memory_limit = $m", {"m": s.memory_limit})
    for f in sorted((src / "feeds").iterdir()):
        fd = feed_for_file(f.name)
        if fd is None:
            continue
        if fd.format == "csv":
            o = fd.read_options
            enc = str(o.get("encoding", "utf-8")).lower()
            enc = "latin-1" if enc in ("cp1252", "windows-1252") else enc
            rel = ("read_csv($p, delim = $d, quote = $q, header = true, encoding = $e, "
                   "all_varchar = true)",
                   {"p": str(f), "d": o.get("delimiter", ","), "q": o.get("quote", '"'),
                    "e": enc})
        elif fd.format == "jsonl":
            keys = [k for (k,) in con.execute(
                "SELECT DISTINCT unnest(json_keys(json)) FROM (SELECT json FROM "
                "read_json_objects($p, format = 'newline_delimited') LIMIT 1000)",
                {"p": str(f)}).fetchall()]
            rel = ("read_json($p, format = 'newline_delimited', columns = $c)",
                   {"p": str(f), "c": {k: "VARCHAR" for k in keys}})
        else:
            rel = ("read_parquet($p)", {"p": str(f)})
        table = '"' + fd.name + '"'
        exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = $n",
                             {"n": fd.name}).fetchone()[0]
        if exists:
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {rel[0]}", rel[1])
        else:
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM {rel[0]}", rel[1])
    rows = sum(con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for (t,) in
               con.execute("SELECT table_name FROM duckdb_tables()").fetchall())
    con.execute("CHECKPOINT")
    con.close()
    return rows


def pipeline(src: Path, hooks: bool) -> int:
    from agora import store
    from agora.ingest import ingest
    if not hooks:
        store.hooks.POST_LOAD.clear()
    result = ingest(src)
    return sum(b.received for b in result.batches)


def main() -> None:
    mode, src = sys.argv[1], Path(sys.argv[2])
    start = time.perf_counter()
    if mode == "raw":
        rows = raw_load(src, Path(sys.argv[3]))
    else:
        rows = pipeline(src, hooks=mode == "pipeline+hooks")
    wall = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"mode": mode, "rows": rows, "wall_s": round(wall, 2),
                      "peak_mb": round(peak_mb)}))


if __name__ == "__main__":
    main()
