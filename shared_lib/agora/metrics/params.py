"""Validation of `run` parameters: every value is checked here, then bound, never formatted."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from agora import model
from agora.metrics.errors import MetricParameterError
from agora.metrics.registry import BREAKDOWN_HELP, Metric, Param

EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)
SITE_PATTERN = re.compile(model.table("ae_attendance").column("site_code").pattern)
ORG_PATTERN = re.compile(r"^[A-Z0-9]{3,12}$")   # ODS (RAJ, F81001, U12345) and ONS codes


def _show(value: Any) -> str:
    """A short, safe rendering of a bad value for an error message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def parse_date(name: str, value: Any) -> dt.date:
    """A date from a date, datetime, pandas Timestamp or 'YYYY-MM-DD' string."""
    if value is None:
        raise MetricParameterError(f"{name} is required (a date such as '2025-04-01')")
    if isinstance(value, dt.datetime):
        value = value.date()
    elif hasattr(value, "to_pydatetime"):            # pandas Timestamp
        value = value.to_pydatetime().date()
    elif isinstance(value, str):
        if len(value) > 10 or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise MetricParameterError(f"{name} must be a date 'YYYY-MM-DD', not {_show(value)}")
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise MetricParameterError(f"{name} {_show(value)} is not a real date") from None
    if not isinstance(value, dt.date):
        raise MetricParameterError(f"{name} must be a date, not {type(value).__name__}")
    if not EARLIEST <= value <= LATEST:
        raise MetricParameterError(f"{name} {value} is outside {EARLIEST} to {LATEST}")
    return value


def parse_code(name: str, value: Any, pattern: re.Pattern) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 20 or not pattern.match(value.strip().upper()):
        raise MetricParameterError(f"{name} must be an organisation code such as 'RAJ01', "
                                   f"not {_show(value)}")
    return value.strip().upper()


def parse_choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise MetricParameterError(f"{name} must be one of {', '.join(choices)}; "
                                   f"not {_show(value)}")
    return value


def parse_param(p: Param, value: Any) -> Any:
    if p.choices is not None:
        return parse_choice(p.name, value, p.choices)
    if p.type is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise MetricParameterError(f"{p.name} must be a whole number, not {_show(value)}")
        if (p.min is not None and value < p.min) or (p.max is not None and value > p.max):
            raise MetricParameterError(f"{p.name} must be between {p.min:g} and {p.max:g}, "
                                       f"not {value}")
        return value
    if not isinstance(value, p.type):
        raise MetricParameterError(f"{p.name} must be {p.type.__name__}, not {_show(value)}")
    return value


def validate(metric: Metric, period_start: Any, period_end: Any, site: Any, org: Any,
             breakdown: Any, grain: Any, extra: dict[str, Any]) -> dict[str, Any]:
    """Checked values of every parameter the metric's SQL may bind, by name."""
    start = parse_date("period_start", period_start)
    end = parse_date("period_end", period_end)
    if start > end:
        raise MetricParameterError(f"period_start {start} is after period_end {end}")
    if site is not None and not metric.site:
        raise MetricParameterError(f"{metric.name} is not measured by site; use org= instead")
    breakdown = metric.default_breakdown if breakdown is None else breakdown
    if isinstance(breakdown, str) and breakdown in BREAKDOWN_HELP \
            and breakdown not in metric.breakdowns:
        raise MetricParameterError(f"{metric.name} cannot be broken down by {breakdown}; "
                                   f"choose from {', '.join(metric.breakdowns)}")
    values: dict[str, Any] = {
        "period_start": start,
        "period_end": end,
        "site": parse_code("site", site, SITE_PATTERN),
        "org": parse_code("org", org, ORG_PATTERN),
        "breakdown": parse_choice("breakdown", breakdown, metric.breakdowns),
        "grain": parse_choice("grain", "all" if grain is None else grain, metric.grains),
    }
    declared = {p.name: p for p in metric.params}
    unknown = sorted(set(extra) - set(declared))
    if unknown:
        takes = ", ".join(sorted(metric.parameters))
        raise MetricParameterError(f"{metric.name} takes no parameter "
                                   f"{', '.join(_show(u) for u in unknown)}; it takes: {takes}")
    pinned = sorted(set(extra) & set(metric.fixed))
    if pinned:
        raise MetricParameterError(f"{metric.name} fixes {', '.join(pinned)}; "
                                   "use the general metric to choose it")
    for p in metric.params:
        values[p.name] = parse_param(p, metric.fixed.get(p.name, extra.get(p.name, p.default)))
    return values
