"""Every metric, breakdown and grain on the session's real store (synth -> ingest -> publish),
read through agora.connect(): the SQL fits the store the ingestion really writes."""
from __future__ import annotations

import pandas as pd
import pytest

import agora
from agora import analyst_db, metrics

pytestmark = pytest.mark.slow


@pytest.fixture
def period(small_store_env):
    analyst_db.close()
    m = small_store_env.manifest
    yield dict(period_start=m["start"], period_end=m["end"])
    analyst_db.close()


@pytest.mark.parametrize("name", list(metrics.METRICS))
def test_metric_runs_on_the_real_store_in_every_breakdown(period, name):
    m = metrics.METRICS[name]
    whole = metrics.run(name, **period)
    assert not whole.empty, f"{name} found nothing in the small store"
    for breakdown in m.breakdowns:
        df = metrics.run(name, breakdown=breakdown, **period)
        assert df["group"].notna().all()
        if m.unit == "percent":
            assert df["value"].dropna().between(0, 100).all()
        else:
            assert (df["value"].dropna() >= 0).all()
    if "month" in m.grains:
        monthly = metrics.run(name, grain="month", **period)
        assert set(pd.to_datetime(monthly["period"]).dt.day) == {1}


def test_four_hour_agrees_with_a_direct_count(period):
    direct = agora.sql(
        "SELECT count(*) FILTER (WHERE departure_at - arrival_at <= INTERVAL 4 HOUR) AS within, "
        "count(*) AS timed FROM ae_attendance WHERE departure_at >= arrival_at "
        "AND arrival_at >= CAST(? AS DATE) AND arrival_at < CAST(? AS DATE) + INTERVAL 1 DAY",
        [period["period_start"], period["period_end"]])
    df = metrics.run("ae_4hour", **period)
    assert df["attendances"][0] == direct["timed"][0]
    assert df["within_4_hours"][0] == direct["within"][0]
    by_imd = metrics.run("ae_4hour", breakdown="imd_decile", **period)
    assert by_imd["attendances"].sum() == direct["timed"][0]    # every attendance in one group
