"""Schema from agora.model: create every table, and add columns the model gained since."""
from __future__ import annotations

from .. import model


def quote_ident(name: str) -> str:
    """A double-quoted SQL identifier (names come from declarations, never from users)."""
    return '"' + name.replace('"', '""') + '"'


def create_schema(con, tables=model.TABLES) -> None:
    """Create missing tables and add missing columns (a snapshot made by an older model)."""
    existing = {(t, c) for t, c in con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main'").fetchall()}
    present = {t for t, _ in existing}
    for table in tables:
        if table.name not in present:
            con.execute(table.ddl())
            continue
        for col in table.all_columns:
            if (table.name, col.name) not in existing:
                con.execute(f"ALTER TABLE {quote_ident(table.name)} "
                            f"ADD COLUMN {quote_ident(col.name)} {col.type}")
