"""A&E metrics on a hand-built fixture: 4-hour (all types, type 1), 12 hours, initial assessment.

Twelve attendances, worked by hand (all site RAJ01, type 01 unless said):
  a1  P1 01 Apr 10:00:00 -> 14:00:00  exactly 4 h: within; assessed 10:15:00 (exactly 15 min)
  a2  P1 01 Apr 10:00:00 -> 14:00:01  4 h 1 s: breach;     assessed 10:15:01 (over 15 min)
  a3  P2 02 Apr 23:00 -> 03 Apr 01:30 crosses midnight, 2.5 h: within, counted on 02 Apr;
                                       assessed 23:10
  a4  P2 03 Apr 08:00, no departure   untimed
  a5  P1 03 Apr 09:00 -> 09:30        type 03 at RAJ02: within
  a6  P2 31 Mar 23:59:59 -> 01:00     before the period (previous financial year)
  a7  P1 30 Apr 23:59:59 -> 01 May 03:00  last second of the period: within
  a8  P2 01 May 00:00:00 -> 01:00     after the period
  a9  P1 10 Apr 08:00 -> 21:00        13 h: breach, over 12 h
  a10 P2 11 Apr 08:00 -> 20:00        exactly 12 h: breach, not over 12 h
  a11 unregistered person, 12 Apr 10:00 -> 10:05: within
  a12 P1 13 Apr 10:00 -> 09:00        departure before arrival: untimed
April (all types): timed a1 a2 a3 a5 a7 a9 a10 a11 = 8; within 4 h a1 a3 a5 a7 a11 = 5 (62.5%);
untimed a4 a12 = 2. Type 1 drops a5: 4 of 7. Over 12 h: a9 only, 1 of 8 (12.5%).
P1: F, born June 1950 (74: 65-84), IMD decile 1, practice F81001 in PCN U00001.
P2: M, born January 2010 (15: 0-17), IMD decile 10, practice F81002 in PCN U00002.
"""
from __future__ import annotations

import datetime as dt

import pytest

from agora import metrics
from metric_fixture_db import build, pid, rows, run

P1, P2, P9 = pid(1), pid(2), pid(99)
APRIL = dict(period_start="2025-04-01", period_end="2025-04-30")


def att(n, person, arrival, departure, *, dept="01", site="RAJ01", assessed=None):
    return {"attendance_id": f"a{n}", "person_id": person, "site_code": site,
            "department_type": dept, "arrival_at": arrival, "departure_at": departure,
            "initial_assessment_at": assessed}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("ae") / "snapshot.duckdb"
    return build(
        path,
        person=[
            {"person_id": P1, "sex": "F", "birth_month": "1950-06-01", "lsoa_code": "E01000001",
             "practice_code": "F81001", "opt_out": False},
            {"person_id": P2, "sex": "M", "birth_month": "2010-01-01", "lsoa_code": "E01000002",
             "practice_code": "F81002", "opt_out": False},
        ],
        ref_lsoa=[
            {"lsoa_code": "E01000001", "district": "Basildon", "imd_decile": 1},
            {"lsoa_code": "E01000002", "district": "Southend-on-Sea", "imd_decile": 10},
        ],
        ref_org=[
            {"org_code": "F81001", "name": "Practice one", "org_type": "practice",
             "parent_code": "U00001"},
            {"org_code": "F81002", "name": "Practice two", "org_type": "practice",
             "parent_code": "U00002"},
        ],
        ae_attendance=[
            att(1, P1, "2025-04-01 10:00:00", "2025-04-01 14:00:00",
                assessed="2025-04-01 10:15:00"),
            att(2, P1, "2025-04-01 10:00:00", "2025-04-01 14:00:01",
                assessed="2025-04-01 10:15:01"),
            att(3, P2, "2025-04-02 23:00:00", "2025-04-03 01:30:00",
                assessed="2025-04-02 23:10:00"),
            att(4, P2, "2025-04-03 08:00:00", None),
            att(5, P1, "2025-04-03 09:00:00", "2025-04-03 09:30:00", dept="03", site="RAJ02"),
            att(6, P2, "2025-03-31 23:59:59", "2025-04-01 01:00:00"),
            att(7, P1, "2025-04-30 23:59:59", "2025-05-01 03:00:00"),
            att(8, P2, "2025-05-01 00:00:00", "2025-05-01 01:00:00"),
            att(9, P1, "2025-04-10 08:00:00", "2025-04-10 21:00:00"),
            att(10, P2, "2025-04-11 08:00:00", "2025-04-11 20:00:00"),
            att(11, P9, "2025-04-12 10:00:00", "2025-04-12 10:05:00"),
            att(12, P1, "2025-04-13 10:00:00", "2025-04-13 09:00:00"),
        ],
    )


COLS = ("period", "group", "attendances", "within_4_hours", "untimed", "value")


def test_four_hour_all_types(store):
    df = run(store, "ae_4hour", **APRIL)
    assert rows(df, *COLS) == [("2025-04-01", "all", 8, 5, 2, 62.5)]


def test_four_hour_type_1(store):
    df = run(store, "ae_4hour_type1", **APRIL)
    assert rows(df, "attendances", "within_4_hours") == [(7, 4)]
    assert df["value"][0] == pytest.approx(400 / 7)


def test_four_hour_department_type_parameter_matches_type_1_entry(store):
    df = run(store, "ae_4hour", department_type="01", **APRIL)
    assert rows(df, "attendances", "within_4_hours") == [(7, 4)]


def test_four_hour_by_site(store):
    df = run(store, "ae_4hour", breakdown="site", **APRIL)
    assert rows(df, "group", "attendances", "within_4_hours", "untimed") == [
        ("RAJ01", 7, 4, 2), ("RAJ02", 1, 1, 0)]
    df = run(store, "ae_4hour", site="RAJ02", **APRIL)
    assert rows(df, "attendances", "within_4_hours") == [(1, 1)]


def test_four_hour_by_sex_age_deprivation(store):
    assert rows(run(store, "ae_4hour", breakdown="sex", **APRIL),
                "group", "attendances", "within_4_hours", "untimed", "value") == [
        ("F", 5, 3, 1, 60.0), ("M", 2, 1, 1, 50.0), ("unknown", 1, 1, 0, 100.0)]
    assert rows(run(store, "ae_4hour", breakdown="age_band", **APRIL),
                "group", "attendances", "within_4_hours") == [
        ("0-17", 2, 1), ("65-84", 5, 3), ("unknown", 1, 1)]
    assert rows(run(store, "ae_4hour", breakdown="imd_decile", **APRIL),
                "group", "attendances") == [("1", 5), ("10", 2), ("unknown", 1)]


def test_four_hour_by_practice_pcn_district(store):
    assert rows(run(store, "ae_4hour", breakdown="practice", **APRIL), "group", "attendances") \
        == [("F81001", 5), ("F81002", 2), ("unknown", 1)]
    assert rows(run(store, "ae_4hour", breakdown="pcn", **APRIL), "group", "attendances") \
        == [("U00001", 5), ("U00002", 2), ("unknown", 1)]
    assert rows(run(store, "ae_4hour", breakdown="district", **APRIL), "group", "attendances") \
        == [("Basildon", 5), ("Southend-on-Sea", 2), ("unknown", 1)]


def test_four_hour_org_is_sender_practice_or_pcn(store):
    assert rows(run(store, "ae_4hour", org="RAJ", **APRIL), "attendances") == [(8,)]
    assert rows(run(store, "ae_4hour", org="F81001", **APRIL), "attendances",
                "within_4_hours") == [(5, 3)]
    assert rows(run(store, "ae_4hour", org="u00002", **APRIL), "attendances") == [(2,)]
    assert run(store, "ae_4hour", org="F81999", **APRIL).empty


def test_four_hour_weekly_series(store):
    # Weeks start on Monday: 31 Mar (a1-a5), 7 Apr (a9-a12; a12 is Sunday 13th), 28 Apr (a7).
    df = run(store, "ae_4hour", grain="week", **APRIL)
    assert rows(df, *COLS) == [
        ("2025-03-31", "all", 4, 3, 1, 75.0),
        ("2025-04-07", "all", 3, 1, 1, pytest.approx(100 / 3)),
        ("2025-04-28", "all", 1, 1, 0, 100.0),
    ]


def test_four_hour_daily_series_counts_cross_midnight_on_arrival_day(store):
    df = run(store, "ae_4hour", grain="day", period_start="2025-04-02",
             period_end="2025-04-03")
    assert rows(df, "period", "attendances", "within_4_hours", "untimed") == [
        ("2025-04-02", 1, 1, 0), ("2025-04-03", 1, 1, 1)]


def test_four_hour_financial_year_edges(store):
    start, end = metrics.financial_year(2025)
    assert (start, end) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    # a6 (31 Mar 2025 23:59:59) belongs to 2024/25 only; a8 (1 May) is inside 2025/26.
    assert rows(run(store, "ae_4hour", period_start=start, period_end=end), "attendances") \
        == [(9,)]
    prior = metrics.financial_year(2024)
    assert rows(run(store, "ae_4hour", period_start=prior[0], period_end=prior[1]),
                "attendances", "within_4_hours") == [(1, 1)]


def test_twelve_hours(store):
    df = run(store, "ae_12_hours", **APRIL)
    assert rows(df, "attendances", "over_12_hours", "untimed", "value") == [(8, 1, 2, 12.5)]
    assert metrics.METRICS["ae_12_hours"].direction == "lower"


def test_initial_assessment_within_15_minutes(store):
    df = run(store, "ae_initial_assessment", **APRIL)
    # a1 at exactly 15:00 and a3 meet it; a2 at 15:01 does not; 7 have no assessment time.
    assert rows(df, "attendances", "within_15_minutes", "unrecorded") == [(3, 2, 7)]
    assert df["value"][0] == pytest.approx(200 / 3)


def test_empty_period_gives_empty_frame(store):
    df = run(store, "ae_4hour", period_start="2020-01-01", period_end="2020-01-31")
    assert df.empty and "value" in df.columns
