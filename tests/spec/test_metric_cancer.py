"""Cancer waiting times standards on a hand-built fixture, worked out by hand (April 2025).

28-day FDS, by diagnosis (or ruled-out) date in April:
  c1 lung   referred 10 Mar, told 7 Apr  = 28 days: meets it
  c2 lung   referred 10 Mar, told 8 Apr  = 29 days: does not
  c3 breast referred 1 Apr,  told 20 Apr = 19 days: meets it
  c4 breast referred 20 Apr, told 10 Apr: stop before referral, invalid
  c5 referred 1 Mar, told 31 Mar: March, outside;  c6 referred 25 Apr, not yet told
  -> 2 of 3 (66.7%), 1 invalid.
62-day (referral to first treatment) and 31-day (decision to treat to first treatment), by
treatment date in April:
  c7  ref 1 Feb, dtt 4 Mar, treated 4 Apr: 62 days (meets), 31 days (meets)
  c8  ref 1 Feb, dtt 5 Mar, treated 5 Apr: 63 days (not),   31 days (meets)
  c9  ref 15 Mar, dtt 20 Mar, treated 21 Apr: 37 days (meets), 32 days (not)
  c10 ref 15 Mar, no dtt, treated 10 Apr: 26 days (meets); not in the 31-day count
  c11 treated 1 May: outside
  -> 62-day 3 of 4 (75%); 31-day 2 of 3 (66.7%).
"""
from __future__ import annotations

import pytest

from metric_fixture_db import build, pid, rows, run

APRIL = dict(period_start="2025-04-01", period_end="2025-04-30")


def pathway(n, referral, diagnosis=None, dtt=None, treated=None, site="lung"):
    return {"cancer_pathway_id": n, "person_id": pid(n), "referral_date": referral,
            "tumour_site": site, "diagnosis_date": diagnosis, "decision_to_treat_date": dtt,
            "first_treatment_date": treated, "cancer_confirmed": treated is not None}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("cancer") / "snapshot.duckdb"
    return build(path, cancer_pathway=[
        pathway("c1", "2025-03-10", "2025-04-07"),
        pathway("c2", "2025-03-10", "2025-04-08"),
        pathway("c3", "2025-04-01", "2025-04-20", site="breast"),
        pathway("c4", "2025-04-20", "2025-04-10", site="breast"),
        pathway("c5", "2025-03-01", "2025-03-31"),
        pathway("c6", "2025-04-25"),
        pathway("c7", "2025-02-01", "2025-03-01", "2025-03-04", "2025-04-04"),
        pathway("c8", "2025-02-01", "2025-03-01", "2025-03-05", "2025-04-05"),
        pathway("c9", "2025-03-15", "2025-03-18", "2025-03-20", "2025-04-21"),
        pathway("c10", "2025-03-15", "2025-03-18", None, "2025-04-10"),
        pathway("c11", "2025-03-15", "2025-03-18", "2025-03-20", "2025-05-01"),
    ])


def test_faster_diagnosis_standard(store):
    df = run(store, "cancer_fds_28_day", **APRIL)
    assert rows(df, "pathways", "within_28_days", "invalid") == [(3, 2, 1)]
    assert df["value"][0] == pytest.approx(200 / 3)


def test_faster_diagnosis_by_tumour_site(store):
    df = run(store, "cancer_fds_28_day", breakdown="tumour_site", **APRIL)
    assert rows(df, "group", "pathways", "within_28_days", "invalid", "value") == [
        ("breast", 1, 1, 1, 100.0), ("lung", 2, 1, 0, 50.0)]


def test_62_day(store):
    df = run(store, "cancer_62_day", **APRIL)
    assert rows(df, "pathways", "within_62_days", "invalid", "value") == [(4, 3, 0, 75.0)]


def test_31_day(store):
    df = run(store, "cancer_31_day", **APRIL)
    assert rows(df, "pathways", "within_31_days") == [(3, 2)]
    assert df["value"][0] == pytest.approx(200 / 3)


def test_monthly_series_puts_each_pathway_in_its_stop_month(store):
    df = run(store, "cancer_fds_28_day", period_start="2025-03-01", period_end="2025-04-30",
             grain="month")
    # March stops: c5 (30 days), c7 c8 (28 days: 1 Feb -> 1 Mar), c9 c10 c11 (3 days).
    assert rows(df, "period", "pathways", "within_28_days") == [
        ("2025-03-01", 6, 5), ("2025-04-01", 3, 2)]
