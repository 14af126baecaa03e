"""Rebuild the derived tables person_condition and person_risk in a store snapshot."""
from __future__ import annotations

from contextlib import contextmanager

import duckdb

from agora import model as store_model

from .pipeline import Computation, compute, drop_temporary, sql
from .definitions import EFI_MIN_AGE

DERIVED = ("person_condition", "person_risk")


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection):
    """Our own transaction, unless the caller already holds one (then theirs decides)."""
    try:
        con.execute("BEGIN TRANSACTION")
    except duckdb.TransactionException:
        yield
        return
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def rebuild(con: duckdb.DuckDBPyConnection, as_of=None, progress=None) -> Computation:
    """Replace person_condition and person_risk with the measures at `as_of` (default: the last
    activity date). All or nothing: on any error both tables are left as they were."""
    try:
        result = compute(con, as_of, progress)
        if progress:
            progress("writing person_condition and person_risk")
        with _transaction(con):
            for name in DERIVED:   # recreated from the model, so a new column never breaks it
                con.execute(f'DROP TABLE IF EXISTS main."{name}"')
                con.execute(store_model.table(name).ddl())
            con.execute(sql("person_condition"))
            con.execute(sql("person_risk"), {"as_of": result.as_of, "efi_min_age": EFI_MIN_AGE})
    finally:
        drop_temporary(con)
    return result


def post_load(con: duckdb.DuckDBPyConnection) -> None:
    """Store post-load hook: rebuild the derived tables in each new snapshot."""
    rebuild(con)
