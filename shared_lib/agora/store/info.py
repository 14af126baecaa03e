"""What is in the store: snapshot, tables with row counts, latest batches."""
from __future__ import annotations

from .schema import quote_ident
from .snapshots import connect, current_path, numbers


def store_info(restricted: bool = False, batches: int = 20) -> dict:
    path = current_path(restricted)
    con = connect(restricted=restricted)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
            "ORDER BY table_name").fetchall()]
        tables = [(n, con.execute(f"SELECT count(*) FROM {quote_ident(n)}").fetchone()[0])
                  for n in names]
        latest = con.execute(
            "SELECT load_batch_id, feed, source_org_code, file_name, status, rows_received, "
            "rows_loaded, rows_quarantined, error FROM load_batch "
            "ORDER BY load_batch_id DESC LIMIT $n", {"n": batches}).fetchall()
    finally:
        con.close()
    return {"snapshot": int(path.parent.name), "path": str(path), "snapshots": numbers(),
            "tables": tables, "batches": latest}
