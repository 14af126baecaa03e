"""Metrics of the partnership (UEC, planned care, cancer, frequent attenders), one cited SQL file
each, run against the store with bound parameters.

    from agora import metrics
    metrics.run("ae_4hour", period_start="2025-04-01", period_end="2026-03-31",
                breakdown="imd_decile", grain="month")

`METRICS` lists every metric with its description, unit, direction, target, parameters and
source; `financial_year(2025)` gives the dates of 2025/26.
"""
from __future__ import annotations

import datetime as dt

from agora.metrics.errors import MetricError, MetricParameterError, UnknownMetricError
from agora.metrics.registry import BREAKDOWN_HELP, GRAINS, METRICS, Metric, Param
from agora.metrics.runner import get, run


def financial_year(start_year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the financial year starting in April of `start_year`."""
    if isinstance(start_year, bool) or not isinstance(start_year, int):
        raise MetricParameterError("financial_year takes the starting year, such as 2025")
    return dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)


__all__ = ["BREAKDOWN_HELP", "GRAINS", "METRICS", "Metric", "MetricError",
           "MetricParameterError", "Param", "UnknownMetricError", "financial_year", "get", "run"]
