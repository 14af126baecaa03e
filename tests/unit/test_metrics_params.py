"""Parameter validation of agora.metrics.run: unknown names, bad dates, hostile values.

Every check here happens before any SQL runs, so no connection is needed (con is a sentinel that
would fail if it were used)."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from agora import metrics
from agora.metrics import METRICS, MetricParameterError, UnknownMetricError
from agora.metrics.runner import SQL_DIR, sql_params, sql_text

NOT_A_CONNECTION = object()
OK = dict(period_start="2025-04-01", period_end="2025-04-30")


def check(name="ae_4hour", **kw):
    return metrics.run(name, NOT_A_CONNECTION, **({**OK, **kw}))


def test_unknown_metric_suggests_close_names():
    with pytest.raises(UnknownMetricError, match="Did you mean ae_4hour"):
        check("ae_4hr")
    with pytest.raises(UnknownMetricError, match="no metric"):
        check(None)


def test_oversized_metric_name_is_cut_in_the_message():
    with pytest.raises(UnknownMetricError) as err:
        check("x" * 1_000_000)
    assert len(str(err.value)) < 1000


@pytest.mark.parametrize("value, message", [
    (None, "period_start is required"),
    ("2025-13-01", "not a real date"),
    ("2025-02-30", "not a real date"),
    ("01/04/2025", "must be a date 'YYYY-MM-DD'"),
    ("2025-04-01'; DROP TABLE person; --", "must be a date"),
    ("9" * 10_000, "must be a date"),
    (20250401, "must be a date, not int"),
    ("1066-10-14", "outside"),
])
def test_bad_period_start(value, message):
    with pytest.raises(MetricParameterError, match=re.escape(message)):
        check(period_start=value)


def test_dates_accept_date_datetime_and_timestamp_values():
    with pytest.raises(MetricParameterError, match="after period_end"):
        check(period_start=dt.datetime(2025, 5, 1, 12), period_end=pd.Timestamp("2025-04-30"))


def test_start_after_end():
    with pytest.raises(MetricParameterError, match="period_start 2025-05-01 is after period_end"):
        check(period_start="2025-05-01", period_end="2025-04-30")


@pytest.mark.parametrize("breakdown", [
    "sex; drop table person", "person_id", "nhs_number", "", 1, ["sex"]])
def test_breakdown_outside_the_whitelist(breakdown):
    with pytest.raises(MetricParameterError, match="breakdown must be one of"):
        check(breakdown=breakdown)


def test_breakdown_the_metric_does_not_have():
    with pytest.raises(MetricParameterError, match="bed_occupancy cannot be broken down by sex"):
        check("bed_occupancy", breakdown="sex")


@pytest.mark.parametrize("grain", ["year", "hour", "month; select 1", 7])
def test_bad_grain(grain):
    with pytest.raises(MetricParameterError, match="grain must be one of"):
        check(grain=grain)


def test_projection_is_not_a_time_series():
    with pytest.raises(MetricParameterError, match="grain must be one of all"):
        check("rtt_projection", grain="month")


@pytest.mark.parametrize("site", ["RAJ01' OR '1'='1", "R", "RAJ011", 12345, "RAJ-1"])
def test_bad_site(site):
    with pytest.raises(MetricParameterError, match="site must be an organisation code"):
        check(site=site)


def test_site_on_a_metric_without_sites():
    with pytest.raises(MetricParameterError, match="not measured by site"):
        check("rtt_18_weeks", site="RAJ01")


@pytest.mark.parametrize("org", ["RAJ' --", "x" * 100, "", "R A J", b"RAJ"])
def test_bad_org(org):
    with pytest.raises(MetricParameterError, match="org must be an organisation code"):
        check(org=org)


def test_unknown_and_fixed_parameters():
    with pytest.raises(MetricParameterError, match="takes no parameter 'colour'"):
        check(colour="red")
    with pytest.raises(MetricParameterError, match="ae_4hour_type1 fixes department_type"):
        check("ae_4hour_type1", department_type="03")
    with pytest.raises(MetricParameterError, match="department_type must be one of"):
        check(department_type="01' or 1=1 --")


@pytest.mark.parametrize("weeks", [0, 521, "26", 2.5, True])
def test_bad_horizon(weeks):
    with pytest.raises(MetricParameterError, match="horizon_weeks must be"):
        check("rtt_projection", horizon_weeks=weeks)


def test_financial_year_takes_a_year():
    assert metrics.financial_year(2024) == (dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    with pytest.raises(MetricParameterError):
        metrics.financial_year("2024")


# The registry, as the catalogue reads it -------------------------------------------------------

@pytest.mark.parametrize("metric", METRICS.values(), ids=list(METRICS))
def test_every_metric_is_described_and_cited(metric):
    assert metric.description and metric.unit and metric.source.startswith("DATA_SPEC")
    assert metric.direction in ("higher", "lower")
    assert set(metric.breakdowns) <= set(metrics.BREAKDOWN_HELP)
    assert metric.default_breakdown in metric.breakdowns
    text = sql_text(metric.sql)
    assert text.startswith("-- ") and "Source: DATA_SPEC.md" in text
    assert metric.value in text
    assert "parameters" not in vars(metric)
    bound = sql_params(metric.sql)
    assert bound <= set(metric.parameters) | {p.name for p in metric.params}
    assert {"period_start", "period_end", "breakdown", "org"} <= bound


def test_sql_files_are_import_rename_compute_ctes():
    for path in SQL_DIR.glob("*.sql"):
        if path.stem == "macros":
            continue
        text = path.read_text()
        assert "-- import" in text and "renamed as (" in text, path.name
        assert "{" not in text, f"{path.name} must not be a format template"


def test_every_sql_file_is_used():
    used = {m.sql for m in METRICS.values()} | {"macros"}
    assert {p.stem for p in SQL_DIR.glob("*.sql")} == used
