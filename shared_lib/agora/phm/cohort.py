"""The Ageing Well cohort: frailty, dementia and end-of-life needs, for care coordination."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

COHORT_SQL = (Path(__file__).parent / "sql" / "ageing_well.sql").read_text()


def ageing_well(con: duckdb.DuckDBPyConnection | None = None,
                practice: str | None = None) -> pd.DataFrame:
    """People in the Ageing Well cohort with their practice, PCN, frailty, dementia and risk,
    highest risk first; `practice` (an ODS code) narrows it to one practice's patients."""
    if practice is not None and not (isinstance(practice, str) and len(practice) <= 10):
        raise ValueError(f"practice must be an ODS practice code, not {practice!r}")
    if con is None:   # the notebook's connection: the current snapshot, read-only
        from agora import analyst_db
        con = analyst_db.cursor()
    return con.execute(COHORT_SQL, {"practice": practice}).df()
