"""SPC "Making Data Count" XmR charts, spec tests: series whose means, limits and special-cause
flags are worked out by hand in each test."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from agora.charts import spc

pytestmark = pytest.mark.filterwarnings("ignore:SPC segment")


def flagged(result, rule):
    return [int(i) for i in np.flatnonzero(result[rule].to_numpy())]


def test_mean_and_limits():
    # mean 12; moving ranges 2, 1, 2, 1 -> mean MR 1.5; limits 12 +- 2.66 * 1.5 = 8.01 / 15.99;
    # 2-sigma lines 12 +- (2/3 * 2.66) * 1.5 = 12 +- 2.66 = 9.34 / 14.66
    r = spc.xmr([10, 12, 11, 13, 14])
    last = r.iloc[-1]
    assert last["mean"] == pytest.approx(12)
    assert last["amr"] == pytest.approx(1.5)
    assert (last["lpl"], last["upl"]) == (pytest.approx(8.01), pytest.approx(15.99))
    assert (last["lower_2sigma"], last["upper_2sigma"]) == (pytest.approx(9.34),
                                                            pytest.approx(14.66))
    assert r["mr"].tolist()[1:] == [2, 1, 2, 1] and np.isnan(r["mr"].iloc[0])
    assert not r["special_cause"].any()
    assert spc.variation(r) == "common_cause"


# One series exercising all four rules. Baseline = first 4 points [10, 14, 10, 14]:
# mean 12, moving ranges 4, 4, 4 -> mean MR 4; limits 12 +- 10.64 = 1.36 / 22.64;
# 2-sigma lines 12 +- 7.0933 = 4.907 / 19.093.
SERIES = [10, 14, 10, 14,            # 0-3 baseline
          23,                        # 4: above 22.64 -> outside; also beyond 2 sigma
          12, 20, 11, 20,            # 5-8: 20 > 19.093 at 6 and 8 -> 2 of 3 with 4 and with 8
          11,                        # 9
          13, 15, 13, 15, 13, 15, 13,  # 10-16: 7 points above the mean -> shift
          11,                        # 17
          6, 8, 10, 12.5, 13, 14, 16,  # 18-24: 7 points each higher -> trend (crosses the mean)
          12]                        # 25: on the mean


def test_four_rules_worked_by_hand():
    r = spc.xmr(SERIES, baseline=4)
    assert r["mean"].iloc[-1] == pytest.approx(12) and r["amr"].iloc[-1] == pytest.approx(4)
    assert r["upl"].iloc[0] == pytest.approx(22.64)
    assert flagged(r, "outside") == [4]
    assert flagged(r, "two_of_three") == [4, 6, 8]
    assert flagged(r, "shift") == list(range(10, 17))
    assert flagged(r, "trend") == list(range(18, 25))
    special = sorted({4, 6, 8, *range(10, 17), *range(18, 25)})
    assert flagged(r, "special_cause") == special
    # higher is better: every special cause here is high or rising -> improvement
    assert set(r.loc[special, "point_type"]) == {"improvement"}
    assert set(r.drop(index=special)["point_type"]) == {"common_cause"}
    assert spc.variation(r) == "common_cause"          # the last point, 12, is common cause


def test_direction_decides_improvement_or_concern():
    r = spc.xmr(SERIES, baseline=4, improvement="decrease")
    assert set(r.loc[r["special_cause"], "point_type"]) == {"concern"}
    r = spc.xmr(SERIES[:25], baseline=4, improvement="decrease")
    assert spc.variation(r) == "concern_high"          # last point ends a rising trend
    r = spc.xmr(SERIES[:25], baseline=4, improvement="neutral")
    assert set(r.loc[r["special_cause"], "point_type"]) == {"neutral"}
    assert spc.variation(r) == "neither_high"


def test_falling_trend_below_is_low():
    # baseline [10, 14, 10, 14] again; then 7 falling points 15 .. 9 -> trend down
    r = spc.xmr([10, 14, 10, 14, 15, 14, 13, 12, 11, 10, 9], baseline=4)
    assert flagged(r, "trend") == list(range(4, 11))
    assert spc.variation(r) == "concern_low"          # falling, and higher is better


def test_six_is_not_seven():
    base = [14, 10, 14, 10]    # mean 12, mean MR 4, ends below the mean
    # six points above the mean, then one on the mean (breaks), then one above: no shift
    r = spc.xmr(base + [13, 13.5, 13, 13.5, 13, 13.5, 12, 13], baseline=4)
    assert flagged(r, "shift") == []
    # seven above: shift on exactly those seven
    r = spc.xmr(base + [13, 13.5, 13, 13.5, 13, 13.5, 13, 11], baseline=4)
    assert flagged(r, "shift") == [4, 5, 6, 7, 8, 9, 10]
    # six rising points (5 steps) are not a trend; equal neighbours break a trend
    r = spc.xmr(base + [6, 7, 8, 9, 10, 11, 5], baseline=4)
    assert flagged(r, "trend") == []
    r = spc.xmr(base + [6, 7, 8, 9, 9, 10, 11, 12], baseline=4)
    assert flagged(r, "trend") == []
    r = spc.xmr(base + [6, 7, 8, 9, 10, 11, 12], baseline=4)
    assert flagged(r, "trend") == [4, 5, 6, 7, 8, 9, 10]


def test_two_of_three_needs_the_same_side():
    # baseline lines 4.907 / 19.093: 20 (high) and 4 (low) in one window are not 2 of 3
    r = spc.xmr([10, 14, 10, 14, 20, 12, 4, 12], baseline=4)
    assert flagged(r, "two_of_three") == []
    r = spc.xmr([10, 14, 10, 14, 4.5, 12, 4, 12], baseline=4)
    assert flagged(r, "two_of_three") == [4, 6]
    assert list(r.loc[[4, 6], "direction"]) == [-1, -1]


def test_rebase_gives_each_segment_its_own_limits():
    y = pd.Series([10, 11, 10, 11, 10, 11, 20, 21, 20, 21, 20, 21],
                  index=pd.date_range("2024-04-01", periods=12, freq="MS"))
    # one process: mean 15.5, moving ranges 1 x5, 9, 1 x5 -> 19/11; upl 15.5 + 2.66*1.727 = 20.09
    whole = spc.xmr(y)
    # and lpl 15.5 - 4.59 = 10.91, so the 10s are below it
    assert flagged(whole, "outside") == [0, 2, 4, 7, 9, 11]
    # rebased at October 2024: means 10.5 and 20.5, mean MR 1 each; nothing special
    r = spc.xmr(y, rebase=["2024-10-01"])
    assert r["segment"].tolist() == [0] * 6 + [1] * 6
    assert r["mean"].unique().tolist() == [10.5, 20.5]
    assert r["upl"].unique().tolist() == [pytest.approx(13.16), pytest.approx(23.16)]
    assert np.isnan(r["mr"].iloc[6])          # no moving range across a rebase
    assert not r["special_cause"].any()


def test_screen_moving_range_outliers():
    y = [10, 11, 10, 11, 10, 11, 10, 11, 10, 50, 10, 11]
    # moving ranges: 1 x8, 40, 40, 1 -> 89 / 11 = 8.09; 3.267 * 8.09 = 26.4 drops both 40s
    # -> 9 / 9 = 1
    assert spc.xmr(y)["amr"].iloc[0] == pytest.approx(89 / 11)
    assert spc.xmr(y, screen_outliers=True)["amr"].iloc[0] == pytest.approx(1)


def test_assurance_against_target():
    r = spc.xmr([10, 12, 11, 13, 14])              # limits 8.01 / 15.99
    assert spc.assurance(r, 8) == "pass"           # increase: lower limit above the target
    assert spc.assurance(r, 16) == "fail"
    assert spc.assurance(r, 12) == "hit_and_miss"
    assert spc.assurance(r, 8.01) == "hit_and_miss"   # on a limit
    r = spc.xmr([10, 12, 11, 13, 14], improvement="decrease", target=16)
    assert spc.assurance(r) == "pass"
    assert spc.assurance(r, 8) == "fail"
    assert spc.assurance(spc.xmr([10, 12, 11], improvement="neutral", target=5)) is None
    assert spc.assurance(spc.xmr([10, 12, 11])) is None
    s = spc.summary(spc.xmr([10, 12, 11, 13, 14], target=8))
    assert s["assurance"] == "pass" and s["variation"] == "common_cause"
    assert s["assurance_label"] == spc.ASSURANCE_ICONS["pass"].label


@pytest.mark.parametrize("kwargs, message", [
    ({"series": [1]}, "at least 2"),
    ({"series": [1, "x", 3]}, "must be numbers"),
    ({"series": [1, None, 3]}, "every period"),
    ({"series": [1, np.inf, 3]}, "finite"),
    ({"series": [True, False]}, "booleans"),
    ({"series": pd.Series([1, 2, 3], index=[1, 1, 2])}, "unique"),
    ({"series": [1, 2, 3], "improvement": "up"}, "improvement"),
    ({"series": [1, 2, 3], "target": "high"}, "target"),
    ({"series": [1, 2, 3], "baseline": 1}, "baseline"),
    ({"series": [1, 2, 3], "rebase": [7]}, "rebase point"),
    ({"series": [1, 2, 3, 4], "rebase": [3]}, "2 baseline"),
    ({"series": pd.DataFrame({"a": [1, 2]})}, "one series"),
    ({"series": [1, 2, 3], "dates": ["2025-01-01"]}, "1 dates for 3 values"),
])
def test_bad_input(kwargs, message):
    series = kwargs.pop("series")
    with pytest.raises(spc.SPCError, match=message):
        spc.xmr(series, **kwargs)


def test_constant_series_has_no_special_cause():
    # mean 5, every moving range 0: limits collapse onto the mean, every point on it
    r = spc.xmr([5] * 15)
    assert (r["upl"] == 5).all() and not r["special_cause"].any()
    assert spc.variation(r) == "common_cause"


def test_dates_given_separately_are_sorted():
    r = spc.xmr([3, 1, 2], dates=pd.to_datetime(["2025-03-01", "2025-01-01", "2025-02-01"]))
    assert r["value"].tolist() == [1, 2, 3]


def test_short_segments_warn():
    with pytest.warns(UserWarning, match="unreliable below 12"):
        spc.xmr([1, 2, 3])


def test_long_series_is_vectorised():
    rng = np.random.default_rng(1)
    r = spc.xmr(rng.normal(100, 5, 200_000), screen_outliers=True)
    assert len(r) == 200_000 and r["outside"].mean() < 0.01
