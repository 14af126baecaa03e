"""RTT waiting list, long waiters and projection on a hand-built fixture, worked by hand.

Snapshot 30 Sep 2025 (period 1 Apr - 30 Sep, whole period). Days waited // 7 = weeks:
  r1 110 start 28 May 2025: 125 days, 17 weeks (under 18)
  r2 110 start 27 May 2025: 126 days, 18 weeks (not under 18)
  r3 120 start 1 Oct 2024: 364 days, 52 weeks (52+)
  r4 120 start 2 Oct 2024: 363 days, 51 weeks
  r5 110 start 1 Sep 2023: 760 days (2024 leap day), 108 weeks (52+, 65+, 78+, 104+)
  r6 130 start 1 Jan 2025, stopped 30 Sep 2025: not waiting on the day its clock stopped
  r7 130 start 1 Jan 2025, stopped 1 Oct 2025: waiting, 272 days, 38 weeks
  r8 130 start 1 Oct 2025: not yet referred at the snapshot
  r9 120 start 30 Jun 2024: 457 days, 65 weeks (52+, 65+)
Incomplete 7; under 18 weeks: r1 (1 of 7); 52+ r3 r5 r9 = 3; 65+ 2; 78+ 1; 104+ 1.
Weeks sorted 17 18 38 51 52 65 108: 92nd centile at 0.92 x 6 = 5.52 -> 65 + 0.52 x 43 = 87.36.
"""
from __future__ import annotations

import pytest

from metric_fixture_db import build, pid, rows, run

SEPT_END = dict(period_start="2025-04-01", period_end="2025-09-30")
WINDOW = dict(period_start="2025-09-03", period_end="2025-09-30")   # 28 days = 4 weeks


def pathway(n, tfc, start, stop=None):
    return {"rtt_pathway_id": f"{n}", "person_id": pid(n), "treatment_function": tfc,
            "clock_start_date": start, "clock_stop_date": stop,
            "stop_reason": "admitted" if stop else None}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("rtt") / "snapshot.duckdb"
    return build(path, rtt_pathway=[
        pathway("r1", "110", "2025-05-28"),
        pathway("r2", "110", "2025-05-27"),
        pathway("r3", "120", "2024-10-01"),
        pathway("r4", "120", "2024-10-02"),
        pathway("r5", "110", "2023-09-01"),
        pathway("r6", "130", "2025-01-01", "2025-09-30"),
        pathway("r7", "130", "2025-01-01", "2025-10-01"),
        pathway("r8", "130", "2025-10-01"),
        pathway("r9", "120", "2024-06-30"),
        # projection: in the 4 weeks 3-30 Sep, specialty 300 had 4 referrals and 2 stops;
        # 301 had 1 referral and 3 stops.
        *[pathway(f"p{i}", "300", f"2025-09-{4 + i:02d}") for i in range(1, 5)],
        pathway("p5", "300", "2025-06-01", "2025-09-10"),
        pathway("p6", "300", "2025-06-01", "2025-09-20"),
        pathway("p7", "300", "2024-12-01"),
        pathway("q1", "301", "2025-09-10"),
        *[pathway(f"q{i}", "301", "2025-07-01", f"2025-09-{13 + i}") for i in (2, 3, 4)],
        pathway("q5", "301", "2025-08-01"),
    ])


COUNTS = ("incomplete", "within_18_weeks", "weeks_52_plus", "weeks_65_plus", "weeks_78_plus",
          "weeks_104_plus")
ONLY_R = ("110", "120", "130")


def test_rtt_18_weeks_and_long_waiters(store):
    df = run(store, "rtt_18_weeks", breakdown="treatment_function", **SEPT_END)
    df = df[df["group"].isin(ONLY_R)]
    assert rows(df, "group", "snapshot_date", *COUNTS) == [
        ("110", "2025-09-30", 3, 1, 1, 1, 1, 1),
        ("120", "2025-09-30", 3, 0, 2, 1, 0, 0),
        ("130", "2025-09-30", 1, 0, 0, 0, 0, 0),
    ]


def test_rtt_whole_list_percent_and_92nd_centile(tmp_path, store):
    only_r = build(tmp_path / "r.duckdb", rtt_pathway=[
        pathway(n, "110", s, e) for n, s, e in [
            ("r1", "2025-05-28", None), ("r2", "2025-05-27", None), ("r3", "2024-10-01", None),
            ("r4", "2024-10-02", None), ("r5", "2023-09-01", None),
            ("r6", "2025-01-01", "2025-09-30"), ("r7", "2025-01-01", "2025-10-01"),
            ("r8", "2025-10-01", None), ("r9", "2024-06-30", None)]])
    df = run(only_r, "rtt_18_weeks", **SEPT_END)
    assert rows(df, *COUNTS) == [(7, 1, 3, 2, 1, 1)]
    assert df["value"][0] == pytest.approx(100 / 7)
    assert df["p92_weeks"][0] == pytest.approx(87.36)
    assert run(only_r, "rtt_52_weeks", **SEPT_END)["value"][0] == 3


def test_rtt_weekly_snapshots_are_sundays(tmp_path):
    only_r = build(tmp_path / "r.duckdb", rtt_pathway=[
        pathway("r1", "110", "2025-05-28"), pathway("r2", "110", "2025-05-27"),
        pathway("r6", "130", "2025-01-01", "2025-09-30"), pathway("r9", "120", "2024-06-30")])
    # Sunday 28 Sep: r1 123 days and r2 124 days are both 17 weeks; r6 has not stopped yet.
    # Tuesday 30 Sep (period end): r2 reaches 18 weeks and r6 has stopped.
    df = run(only_r, "rtt_18_weeks", period_start="2025-09-22", period_end="2025-09-30",
             grain="week")
    assert rows(df, "period", "snapshot_date", "incomplete", "within_18_weeks",
                "weeks_52_plus") == [
        ("2025-09-22", "2025-09-28", 4, 2, 1),
        ("2025-09-29", "2025-09-30", 3, 1, 1),
    ]


def test_waiting_list_defaults_to_treatment_function(store):
    df = run(store, "rtt_waiting_list", **SEPT_END)
    assert rows(df, "group", "value") == [("110", 3), ("120", 3), ("130", 1), ("300", 5),
                                          ("301", 2)]


def test_projection_and_bottlenecks(store):
    df = run(store, "rtt_projection", horizon_weeks=26, **WINDOW)
    got = {r["group"]: r for r in df.to_dict("records")}
    assert list(df["group"]) == ["300", "110", "120", "130", "301"]  # bottleneck first
    # 300: list 5 (p1-p4, p7); 1 referral and 0.5 stops a week -> 5 + 26 x 0.5 = 18.
    assert got["300"]["waiting_now"] == 5
    assert got["300"]["referrals_per_week"] == pytest.approx(1.0)
    assert got["300"]["activity_per_week"] == pytest.approx(0.5)
    assert got["300"]["projected_waiting"] == pytest.approx(18.0)
    assert got["300"]["bottleneck"] and pd_isnull(got["300"]["weeks_to_clear"])
    assert got["300"]["at_risk_52_weeks"] == 1            # p7 at 43 weeks
    # 301: list 2; 0.25 in, 0.75 out a week -> cleared in 2 / 0.5 = 4 weeks; projection floors at 0.
    assert got["301"]["projected_waiting"] == 0
    assert got["301"]["weeks_to_clear"] == pytest.approx(4.0)
    assert not got["301"]["bottleneck"]
    # 130: r7 waiting, r6 stopped in the window -> 0.25 a week out; r7 (38 weeks) at risk.
    assert got["130"]["weeks_to_clear"] == pytest.approx(4.0)
    assert got["130"]["at_risk_52_weeks"] == 1
    # 110 and 120: no flow in the window: the list stands still.
    assert got["110"]["projected_waiting"] == 3 and got["110"]["at_risk_52_weeks"] == 1
    assert got["120"]["at_risk_52_weeks"] == 3


def test_projection_horizon_changes_projection(store):
    df = run(store, "rtt_projection", horizon_weeks=4, **WINDOW)
    got = dict(zip(df["group"], df["projected_waiting"]))
    assert got["300"] == pytest.approx(7.0)
    assert got["301"] == pytest.approx(0.0)


def pd_isnull(value) -> bool:
    return value is None or value != value
