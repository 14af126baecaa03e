"""Run a metric: validate its parameters, bind them to its SQL file, return a DataFrame."""
from __future__ import annotations

import difflib
import re
import threading
from functools import lru_cache
from typing import Any

import duckdb
import pandas as pd

from agora.metrics.errors import UnknownMetricError
from agora.metrics.params import validate
from agora.metrics.registry import METRICS, SQL_DIR, Metric
_PARAM = re.compile(r"\$([a-z_]+)")
_lock = threading.Lock()


@lru_cache(maxsize=None)
def sql_text(stem: str) -> str:
    """The text of `sql/<stem>.sql`."""
    return (SQL_DIR / f"{stem}.sql").read_text()


def sql_params(stem: str) -> frozenset[str]:
    """The named parameters ($name) a SQL file binds, comments aside."""
    code = "\n".join(line.split("--", 1)[0] for line in sql_text(stem).splitlines())
    return frozenset(_PARAM.findall(code))


def get(name: Any) -> Metric:
    """The registered metric called `name` (a clear error, with suggestions, if there is none)."""
    if isinstance(name, str) and name in METRICS:
        return METRICS[name]
    shown = repr(name) if len(repr(name)) <= 40 else repr(name)[:37] + "..."
    close = difflib.get_close_matches(name, METRICS, n=3) if isinstance(name, str) \
        and len(name) < 100 else []
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise UnknownMetricError(f"no metric {shown}.{hint} Metrics: {', '.join(METRICS)}")


def run(name: str, con: duckdb.DuckDBPyConnection | None = None, *, period_start: Any = None,
        period_end: Any = None, site: str | None = None, org: str | None = None,
        breakdown: str | None = None, grain: str | None = None, **params: Any) -> pd.DataFrame:
    """Compute metric `name` over [period_start, period_end] (both inclusive).

    site: a hospital site code (metrics measured by site); org: the sending organisation, or a
    practice or PCN code to keep its registered patients; breakdown: a column from the metric's
    whitelist (`METRICS[name].breakdowns`); grain: 'day', 'week' or 'month' for a time series
    (default: the whole period). Other keyword arguments are the metric's own parameters.
    Returns one row per period and group (and category or pathway where the metric has them)
    with the metric's columns and `value`, its headline figure; `df.attrs` holds the metric.
    """
    metric = get(name)
    values = validate(metric, period_start, period_end, site, org, breakdown, grain, params)
    bound = {k: values[k] for k in sql_params(metric.sql)}
    own = con is None
    if own:                       # a cursor of the process's connection (store + scratch)
        from agora.analyst_db import cursor
        con = cursor()
    try:
        with _lock:
            con.execute(sql_text("macros"))
            df = con.execute(sql_text(metric.sql), bound).df()
    finally:
        if own:
            con.close()
    df["value"] = df[metric.value]
    df.attrs.update(metric=metric.name, unit=metric.unit, direction=metric.direction,
                    target=metric.target, breakdown=values["breakdown"], grain=values["grain"],
                    parameters={k: str(v) for k, v in values.items()})
    return df
