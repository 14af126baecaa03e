"""The analyst copy of a snapshot: every table and view, with National Data Opt-out people
removed from each person-level table, so secondary use honours the opt-out physically."""
from __future__ import annotations

from pathlib import Path

from .errors import StoreError
from .schema import quote_ident

# Tables without person_id whose rows belong to a person through a parent row.
CHILD_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "apc_diagnosis": ("apc_spell", ("spell_id", "source_org_code")),
    "apc_procedure": ("apc_spell", ("spell_id", "source_org_code")),
}


def string_literal(path: Path) -> str:
    """A path as a SQL string literal, for ATTACH (which takes no bind parameters)."""
    text = str(path)
    if any(ch in text for ch in "'\"\\") or not text.isprintable():
        raise StoreError(f"store path {text!r} has characters the store does not accept")
    return f"'{text}'"


def _columns(con, db: str) -> dict[str, set[str]]:
    cols: dict[str, set[str]] = {}
    for t, c in con.execute("SELECT table_name, column_name FROM duckdb_columns() "
                            "WHERE database_name = $db AND schema_name = 'main'",
                            {"db": db}).fetchall():
        cols.setdefault(t, set()).add(c)
    return cols


def build_analyst(con, path: Path) -> None:
    """Write the analyst copy of the database open on `con` (read-write) to `path`."""
    db = con.execute("SELECT current_database()").fetchone()[0]
    tables = _columns(con, db)
    con.execute(f"ATTACH {string_literal(path)} AS analyst")
    try:
        opted = ("(SELECT person_id FROM main.person WHERE opt_out)" if "person" in tables
                 else "(SELECT NULL::VARCHAR AS person_id WHERE false)")
        for name, cols in sorted(tables.items()):
            t = quote_ident(name)
            if "person_id" in cols:
                select = f"SELECT s.* FROM main.{t} s ANTI JOIN {opted} o USING (person_id)"
            elif name in CHILD_TABLES and CHILD_TABLES[name][0] in tables:
                parent, keys = CHILD_TABLES[name]
                on = " AND ".join(f"c.{quote_ident(k)} = p.{quote_ident(k)}" for k in keys)
                select = (f"SELECT c.* FROM main.{t} c ANTI JOIN (SELECT p.* FROM main."
                          f"{quote_ident(parent)} p SEMI JOIN {opted} o USING (person_id)) p "
                          f"ON {on}")
            else:
                select = f"SELECT * FROM main.{t}"
            con.execute(f"CREATE TABLE analyst.main.{t} AS {select}")
        views = con.execute("SELECT sql FROM duckdb_views() WHERE NOT internal "
                            "AND database_name = $db AND schema_name = 'main'",
                            {"db": db}).fetchall()
        if views:
            con.execute("USE analyst")
            try:
                for (sql,) in views:
                    con.execute(sql)
            finally:
                con.execute(f"USE {quote_ident(db)}")
    finally:
        con.execute("DETACH analyst")
