"""Months, monthly volumes, late filing and deaths, worked by hand."""
from __future__ import annotations

import numpy as np
import pandas as pd

from agora.synth import timeline
from agora.synth.population import Population


def test_months_of_the_period():
    ms = timeline.months(pd.Timestamp("2025-11-01"), 4)
    assert [m.label for m in ms] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert [m.days for m in ms] == [30, 31, 31, 28]
    assert ms[-1].end == pd.Timestamp("2026-03-01")


def test_monthly_count_scales_a_yearly_volume():
    april = timeline.months(pd.Timestamp("2025-04-01"), 1)[0]
    # 550,000 a year x 0.01 x 30 / 365.25 days = 451.7 -> 452
    assert timeline.monthly_count(550_000, 0.01, april) == 452
    # winter pressure: January x 1.08; 550,000 x 0.01 x 1.08 x 31 / 365.25 = 504.1 -> 504
    january = timeline.months(pd.Timestamp("2026-01-01"), 1)[0]
    assert timeline.monthly_count(550_000, 0.01, january, seasonal=True) == 504


def test_late_records_go_to_the_next_month_but_never_past_the_last():
    rng = np.random.default_rng(0)
    when = np.array(["2025-04-03T10:00", "2025-05-30T23:59"] * 5000, dtype="datetime64[s]")
    filed, late = timeline.late_labels(rng, when, last="2025-05")
    assert set(filed[~late]) == {"2025-04", "2025-05"}
    assert set(filed[late]) == {"2025-05"} and 0 < late.mean() < 0.02


def test_events_after_death_move_before_it_within_the_month():
    people = pd.DataFrame({"death_date": pd.to_datetime(["2025-04-10", None])})
    pop = Population(people=people, geo=None, start=pd.Timestamp("2025-04-01"),
                     end=pd.Timestamp("2025-05-01"), scale=1.0)
    when = np.array(["2025-04-20T12:00", "2025-04-20T12:00"], dtype="datetime64[s]")
    moved = timeline.before_death(pop, np.array([0, 1]), when, np.random.default_rng(1),
                                  floor=pd.Timestamp("2025-04-01"))
    assert np.datetime64("2025-04-01") <= moved[0] < np.datetime64("2025-04-10")
    assert moved[1] == when[1]
    weights = np.array([1.0, 1.0])
    picks = timeline.pick_people(np.random.default_rng(2), weights, 50, pop,
                                 pd.Timestamp("2025-04-15"))
    assert set(picks) == {1}


def test_times_fall_in_the_month_and_office_hours_on_weekdays():
    month = timeline.months(pd.Timestamp("2025-06-01"), 1)[0]
    t = timeline.times_in(np.random.default_rng(3), month, 2000, timeline.OFFICE,
                          weekdays_only=True)
    ts = pd.to_datetime(t)
    assert (ts >= "2025-06-01").all() and (ts < "2025-07-01").all()
    assert ts.hour.isin(range(7, 20)).all() and (ts.day_of_week < 5).all()
