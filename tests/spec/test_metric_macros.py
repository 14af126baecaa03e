"""The shared building blocks of the metric SQL (sql/macros.sql), worked out by hand."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from agora import model
from agora.metrics.runner import sql_text


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    for statement in model.ddl():
        c.execute(statement)
    c.execute(sql_text("macros"))
    yield c
    c.close()


@pytest.mark.parametrize("born, on, band", [
    ("2007-04-01", "2025-03-31", "0-17"),     # the day before the 18th birthday month
    ("2007-04-01", "2025-04-01", "18-64"),
    ("1960-04-01", "2025-03-31", "18-64"),
    ("1960-04-01", "2025-04-01", "65-84"),
    ("1940-04-01", "2025-03-31", "65-84"),
    ("1940-04-01", "2025-04-01", "85+"),
    (None, "2025-04-01", "unknown"),
])
def test_age_band(con, born, on, band):
    got = con.execute("SELECT agora_age_band(CAST($b AS DATE), CAST($d AS DATE))",
                      {"b": born, "d": on}).fetchone()[0]
    assert got == band


def buckets(con, start, end, grain):
    return con.execute("SELECT period, bucket_start, snapshot_date, days FROM "
                       "agora_buckets(CAST($s AS DATE), CAST($e AS DATE), $g) ORDER BY period",
                       {"s": start, "e": end, "g": grain}).fetchall()


def d(text):
    return dt.date.fromisoformat(text)


def test_weekly_buckets_run_monday_to_sunday(con):
    # Sunday 30 Mar 2025 closes the week of Monday 24 Mar; the last week is cut at the period end.
    assert buckets(con, "2025-03-30", "2025-04-08", "week") == [
        (d("2025-03-24"), d("2025-03-30"), d("2025-03-30"), 1),
        (d("2025-03-31"), d("2025-03-31"), d("2025-04-06"), 7),
        (d("2025-04-07"), d("2025-04-07"), d("2025-04-08"), 2),
    ]


def test_monthly_and_whole_period_buckets(con):
    assert buckets(con, "2025-01-15", "2025-03-10", "month") == [
        (d("2025-01-01"), d("2025-01-15"), d("2025-01-31"), 17),
        (d("2025-02-01"), d("2025-02-01"), d("2025-02-28"), 28),
        (d("2025-03-01"), d("2025-03-01"), d("2025-03-10"), 10),
    ]
    assert buckets(con, "2024-04-01", "2025-03-31", "all") == [
        (d("2024-04-01"), d("2024-04-01"), d("2025-03-31"), 365)]


@pytest.mark.parametrize("breakdown, expected", [
    ("none", "all"), ("sex", "F"), ("age_band", "18-64"), ("site", "RAJ01"),
    ("treatment_function", "110"), ("pcn", "unknown"),
])
def test_group_picks_the_breakdown_value(con, breakdown, expected):
    got = con.execute("SELECT agora_group($b, CASE WHEN $b = 'sex' THEN 'F' END, '18-64', "
                      "'RAJ01', '110')", {"b": breakdown}).fetchone()[0]
    assert got == expected


def test_in_org_matches_sender_practice_or_pcn(con):
    q = "SELECT agora_in_org($o, 'RAJ', 'F81001', 'U00001')"
    assert [con.execute(q, {"o": o}).fetchone()[0]
            for o in (None, "RAJ", "F81001", "U00001", "RYC")] == [True, True, True, True, False]
    assert con.execute("SELECT agora_in_org('RAJ', NULL, NULL, NULL)").fetchone()[0] is False
