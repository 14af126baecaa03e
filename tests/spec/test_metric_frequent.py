"""Frequent A&E attenders in a rolling 12 months, worked out by hand.

Snapshot 31 Mar 2026: the window is 1 Apr 2025 00:00:00 to 31 Mar 2026 23:59:59.
  Q1 (F): 1 Apr 2025 00:00:00 (first second: in), 1 Oct 2025, 31 Mar 2026 23:59:59 (in) = 3
  Q2 (M): 31 Mar 2025 23:59:59 (out), 1 Jun 2025, 1 Jul 2025 = 2
  Q3 (F): 1-5 May 2025 = 5
  Q4 (M): 1-10 Sep 2025, all department types = 10
  Q5 (not registered): 1 Dec 2025 = 1, and 1 Apr 2026 (after the snapshot)
-> 5 people, 21 attendances; 3+ Q1 Q3 Q4 = 3 (18 attendances); 5+ = 2; 10+ = 1.
Snapshot 28 Feb 2026 (window from 1 Mar 2025): Q1 2, Q2 3, Q3 5, Q4 10, Q5 1 -> 3+ = 3.
"""
from __future__ import annotations

import pytest

from metric_fixture_db import build, pid, rows, run

Q = {i: pid(f"q{i}") for i in range(1, 6)}


def visits(person, *arrivals, dept="01"):
    return [{"attendance_id": f"{person[:8]}-{i}", "person_id": person, "site_code": "RAJ01",
             "department_type": dept, "arrival_at": at} for i, at in enumerate(arrivals)]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("frequent") / "snapshot.duckdb"
    people = [{"person_id": Q[i], "sex": sex, "birth_month": "1980-01-01", "opt_out": False}
              for i, sex in ((1, "F"), (2, "M"), (3, "F"), (4, "M"))]
    return build(path, person=people, ae_attendance=[
        *visits(Q[1], "2025-04-01 00:00:00", "2025-10-01 12:00:00", "2026-03-31 23:59:59"),
        *visits(Q[2], "2025-03-31 23:59:59", "2025-06-01 12:00:00", "2025-07-01 12:00:00"),
        *visits(Q[3], *[f"2025-05-0{d} 12:00:00" for d in range(1, 6)]),
        *visits(Q[4], *[f"2025-09-{d:02d} 12:00:00" for d in range(1, 6)], dept="01"),
        *[{**v, "attendance_id": v["attendance_id"] + "b"} for v in
          visits(Q[4], *[f"2025-09-{d:02d} 12:00:00" for d in range(6, 11)], dept="03")],
        *visits(Q[5], "2025-12-01 12:00:00", "2026-04-01 12:00:00"),
    ])


COLS = ("people_attending", "attendances", "frequent_3_plus", "frequent_5_plus",
        "frequent_10_plus", "attendances_by_frequent_3_plus")


def test_rolling_twelve_months_at_period_end(store):
    df = run(store, "frequent_attenders", period_start="2025-04-01", period_end="2026-03-31")
    assert rows(df, "snapshot_date", *COLS, "value") == [("2026-03-31", 5, 21, 3, 2, 1, 18, 3)]


def test_monthly_snapshots(store):
    df = run(store, "frequent_attenders", period_start="2026-02-01", period_end="2026-03-31",
             grain="month")
    assert rows(df, "period", "snapshot_date", "people_attending", "frequent_3_plus",
                "frequent_5_plus", "frequent_10_plus") == [
        ("2026-02-01", "2026-02-28", 5, 3, 2, 1),
        ("2026-03-01", "2026-03-31", 5, 3, 2, 1),
    ]


def test_by_sex(store):
    df = run(store, "frequent_attenders", period_start="2025-04-01", period_end="2026-03-31",
             breakdown="sex")
    assert rows(df, "group", "people_attending", "frequent_3_plus", "frequent_5_plus",
                "frequent_10_plus") == [("F", 2, 2, 1, 0), ("M", 2, 1, 1, 1),
                                        ("unknown", 1, 0, 0, 0)]


def test_site_is_not_a_breakdown_of_people(store):
    from agora.metrics import MetricParameterError
    with pytest.raises(MetricParameterError, match="cannot be broken down by site"):
        run(store, "frequent_attenders", period_start="2025-04-01", period_end="2026-03-31",
            breakdown="site")
