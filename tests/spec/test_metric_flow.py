"""Ambulance, bed and discharge metrics on hand-built fixtures, results worked out by hand.

Ambulance response, April 2025 (call connect -> clock stop):
  C1 5, 10, 20 min: mean 35/3; 90th centile (continuous) at position 0.9 x 2 = 1.8 -> 10 + 0.8 x 10
     = 18.0. C2 30 min (call 23:50, stop 00:20 next day: counted on the call day) and 60 min:
     mean 45, 90th centile 30 + 0.9 x 30 = 57. C3 hear-and-treat, no clock stop; C4 clock stop
     before call connect: both have no response time. One C1 call on 1 May is outside.
Handover, June 2025 (hospital arrival -> handover): RAJ01 15:00 (exactly), 30 min, 60 min, no
  handover time, 15 min across midnight on 30 June; RAJ02 90 min. Five timed: within 15 = 2,
  within 30 = 3, within 60 = 4; hours lost beyond 15 min = (15 + 45 + 75) / 60 = 2.25.
"""
from __future__ import annotations

import pytest

from metric_fixture_db import build, pid, rows, run

P1 = pid(1)


def incident(n, category, call, stop=None, *, outcome="see_and_treat", site=None,
             arrived=None, handover=None):
    return {"incident_id": f"i{n}", "person_id": P1, "id_from_local": False,
            "source_org_code": "RYC", "call_connect_at": call, "category": category,
            "clock_stop_at": stop, "outcome": outcome, "destination_site_code": site,
            "hospital_arrival_at": arrived, "handover_at": handover}


def spell(n, admitted, discharged, *, site="RAJ01", ready=None, pathway=None):
    return {"spell_id": f"s{n}", "person_id": P1, "site_code": site, "admission_at": admitted,
            "discharge_at": discharged, "admission_method": "21", "is_emergency": True,
            "discharge_ready_date": ready, "discharge_pathway": pathway}


def bed(site, day, available, occupied, nctr):
    return {"site_code": site, "snapshot_date": day, "ga_beds_available": available,
            "ga_beds_occupied": occupied, "no_criteria_to_reside": nctr}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("flow") / "snapshot.duckdb"
    conveyed = dict(outcome="conveyed_ed", category="C2")
    return build(
        path,
        person=[{"person_id": P1, "sex": "F", "birth_month": "1950-06-01", "opt_out": False}],
        ambulance_incident=[
            incident(1, "C1", "2025-04-01 10:00:00", "2025-04-01 10:05:00"),
            incident(2, "C1", "2025-04-01 10:00:00", "2025-04-01 10:10:00"),
            incident(3, "C1", "2025-04-01 10:00:00", "2025-04-01 10:20:00"),
            incident(4, "C2", "2025-04-02 23:50:00", "2025-04-03 00:20:00"),
            incident(5, "C2", "2025-04-05 10:00:00", "2025-04-05 11:00:00"),
            incident(6, "C3", "2025-04-06 10:00:00", None, outcome="hear_and_treat"),
            incident(7, "C4", "2025-04-07 10:00:00", "2025-04-07 09:00:00"),
            incident(8, "C1", "2025-05-01 00:00:00", "2025-05-01 00:05:00"),
            incident(11, call="2025-06-01 10:30:00", site="RAJ01",
                     arrived="2025-06-01 11:00:00", handover="2025-06-01 11:15:00", **conveyed),
            incident(12, call="2025-06-01 10:30:00", site="RAJ01",
                     arrived="2025-06-01 11:00:00", handover="2025-06-01 11:30:00", **conveyed),
            incident(13, call="2025-06-01 10:30:00", site="RAJ01",
                     arrived="2025-06-01 11:00:00", handover="2025-06-01 12:00:00", **conveyed),
            incident(14, call="2025-06-01 10:30:00", site="RAJ02",
                     arrived="2025-06-01 11:00:00", handover="2025-06-01 12:30:00", **conveyed),
            incident(15, call="2025-06-01 10:30:00", site="RAJ01",
                     arrived="2025-06-01 11:00:00", handover=None, **conveyed),
            incident(16, call="2025-06-30 23:30:00", site="RAJ01",
                     arrived="2025-06-30 23:50:00", handover="2025-07-01 00:05:00", **conveyed),
        ],
        bed_daily=[
            bed("RAJ01", "2025-03-31", 100, 100, 9),
            bed("RAJ01", "2025-04-01", 100, 90, 10), bed("RAJ01", "2025-04-02", 100, 95, 12),
            bed("RAJ02", "2025-04-01", 50, 50, 4), bed("RAJ02", "2025-04-02", 50, 40, 6),
        ],
        apc_spell=[
            # stranded: census at the end of 6, 7 and 8 May 2025
            spell(1, "2025-05-01 10:00:00", None),
            spell(2, "2025-04-17 09:00:00", "2025-05-09 12:00:00"),
            spell(3, "2025-05-07 23:30:00", "2025-05-08 00:00:00"),
            spell(4, "2025-05-08 08:00:00", "2025-05-08 17:00:00"),
            spell(5, "2025-04-01 00:00:00", None, site="RAJ02"),
            # delayed discharge, May 2025
            spell(21, "2025-05-09 08:00:00", "2025-05-10 15:00:00", ready="2025-05-05",
                  pathway=1),
            spell(22, "2025-05-11 08:00:00", "2025-05-12 10:00:00", ready="2025-05-12",
                  pathway=1),
            spell(23, "2025-05-19 08:00:00", "2025-05-20 10:00:00", ready="2025-05-18",
                  pathway=3),
            spell(24, "2025-05-19 08:00:00", "2025-05-20 10:00:00", ready="2025-05-21",
                  pathway=0),
            spell(25, "2025-05-30 08:00:00", "2025-06-01 10:00:00", ready="2025-05-25",
                  pathway=2),
            spell(26, "2025-05-14 08:00:00", "2025-05-15 10:00:00", ready="2025-05-14"),
        ],
    )


def test_ambulance_response_by_category(store):
    df = run(store, "ambulance_response", period_start="2025-04-01", period_end="2025-04-30")
    assert rows(df, "category", "incidents", "no_response_time", "mean_minutes", "p90_minutes",
                "target_mean_minutes", "target_p90_minutes") == [
        ("C1", 3, 0, pytest.approx(35 / 3), pytest.approx(18.0), 7.0, 15.0),
        ("C2", 2, 0, pytest.approx(45.0), pytest.approx(57.0), 18.0, 40.0),
        ("C3", 0, 1, None, None, None, 120.0),
        ("C4", 0, 1, None, None, None, 180.0),
    ]


def test_ambulance_response_counts_cross_midnight_on_call_day(store):
    df = run(store, "ambulance_response", period_start="2025-04-02", period_end="2025-04-02",
             grain="day")
    assert rows(df, "period", "category", "incidents", "mean_minutes") == [
        ("2025-04-02", "C2", 1, 30.0)]


def test_handover(store):
    df = run(store, "ambulance_handover", period_start="2025-06-01", period_end="2025-06-30")
    assert rows(df, "handovers", "within_15_minutes", "within_30_minutes", "within_60_minutes",
                "untimed", "hours_lost_over_15_minutes") == [(5, 2, 3, 4, 1, 2.25)]
    assert rows(df, "pct_within_15_minutes", "pct_within_30_minutes", "pct_within_60_minutes",
                "value") == [(40.0, 60.0, 80.0, 40.0)]


def test_handover_by_site_and_hours_lost(store):
    june = dict(period_start="2025-06-01", period_end="2025-06-30")
    df = run(store, "ambulance_handover", breakdown="site", **june)
    assert rows(df, "group", "handovers", "within_15_minutes", "untimed",
                "hours_lost_over_15_minutes") == [("RAJ01", 4, 2, 1, 1.0), ("RAJ02", 1, 0, 0, 1.25)]
    assert rows(run(store, "ambulance_hours_lost", site="RAJ02", **june), "value") == [(1.25,)]


def test_bed_occupancy(store):
    two_days = dict(period_start="2025-04-01", period_end="2025-04-02")
    df = run(store, "bed_occupancy", **two_days)
    assert rows(df, "available_bed_days", "occupied_bed_days", "days",
                "mean_no_criteria_to_reside") == [(300, 275, 2, 16.0)]
    assert df["value"][0] == pytest.approx(275 / 3)
    assert rows(run(store, "bed_occupancy", breakdown="site", **two_days), "group", "value") \
        == [("RAJ01", 92.5), ("RAJ02", 90.0)]
    assert rows(run(store, "bed_occupancy", grain="day", **two_days), "period", "value") == [
        ("2025-04-01", pytest.approx(280 / 3)), ("2025-04-02", 90.0)]


def test_stranded_daily_census(store):
    # End of 6 May: s1 LOS 5, s2 19, s5 35. End of 7 May: s1 6, s2 20, s3 0 (discharged at
    # midnight: still in at the snapshot), s5 36. End of 8 May: s1 7, s2 21, s5 37; s3 left at
    # 00:00 and day case s4 left at 17:00.
    df = run(store, "stranded", period_start="2025-05-06", period_end="2025-05-08", grain="day")
    assert rows(df, "period", "mean_inpatients", "mean_stranded", "mean_super_stranded") == [
        ("2025-05-06", 3.0, 2.0, 1.0),
        ("2025-05-07", 4.0, 2.0, 1.0),
        ("2025-05-08", 3.0, 3.0, 2.0),
    ]


def test_stranded_period_means_and_sites(store):
    three_days = dict(period_start="2025-05-06", period_end="2025-05-08")
    df = run(store, "stranded", **three_days)
    assert rows(df, "days", "mean_inpatients", "mean_stranded", "mean_super_stranded",
                "pct_stranded") == [(3, pytest.approx(10 / 3), pytest.approx(7 / 3),
                                     pytest.approx(4 / 3), 70.0)]
    assert run(store, "super_stranded", **three_days)["value"][0] == pytest.approx(4 / 3)
    by_site = run(store, "stranded", breakdown="site", **three_days)
    assert rows(by_site, "group", "mean_inpatients", "mean_stranded", "mean_super_stranded") == [
        ("RAJ01", pytest.approx(7 / 3), pytest.approx(4 / 3), pytest.approx(1 / 3)),
        ("RAJ02", 1.0, 1.0, 1.0),
    ]


def test_delayed_discharge_by_pathway(store):
    df = run(store, "delayed_discharge", period_start="2025-05-01", period_end="2025-05-31")
    assert rows(df, "pathway", "discharges", "delayed", "delay_days", "mean_delay_days") == [
        ("0", 1, 0, 0, 0.0),      # ready the day after discharge: no delay
        ("1", 2, 1, 5, 2.5),      # 5 days, and discharged on the ready day (0)
        ("3", 1, 1, 2, 2.0),
        ("unknown", 1, 1, 1, 1.0),
    ]                              # pathway 2 was discharged on 1 June: outside May
