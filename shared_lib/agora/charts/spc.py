"""Statistical process control: "Making Data Count" XmR charts, as pure computation.

The method is NHS England's Making Data Count (MDC; "Making Data Count: strengthening your
decisions", NHS England and NHS Improvement, 2019, and its "Plot the dots" guidance):

* the centre line is the mean of the (baseline) points; the moving range is |x_i - x_{i-1}|;
  the process limits are mean +- 2.66 x mean moving range (2.66 = 3 / 1.128, i.e. 3 sigma);
* a chart may be rebased at given dates: each segment gets its own mean and limits, and no rule
  looks across a rebase;
* four special-cause rules (MDC uses 7 points for runs, where some SPC texts use 8):
    1. ``outside``: a point above the upper or below the lower process limit;
    2. ``shift``: 7 or more consecutive points on one side of the mean (a point exactly on the
       mean breaks the run);
    3. ``trend``: 7 or more consecutive points each higher (or each lower) than the one before
       (equal neighbours break the trend);
    4. ``two_of_three``: 2 of 3 consecutive points beyond the same 2-sigma line (mean +- 2/3 of
       the distance to the limit), i.e. close to or beyond one limit on one side; the points
       beyond that line are flagged;
  every point of a qualifying run is flagged, not just the last;
* a special-cause point is an *improvement* or a *concern* by the metric's desired direction
  (``increase`` or ``decrease``); with ``neutral`` it is high or low. Its direction is taken from
  the first rule that flags it, in the order above (a trend's direction is up or down, the others
  are the side of the mean);
* the *variation icon* reflects the latest point; the *assurance icon* compares the latest
  segment's limits with a target: both limits on the good side -> ``pass``, both on the bad side
  -> ``fail``, target between them -> ``hit_and_miss``.

`xmr()` returns one row per point with these flags; `agora.charts.spc_chart` draws it.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

LIMIT_SIGMA = 2.66            # process limits: mean +- 2.66 x mean moving range
CLOSE_SIGMA = 2 * LIMIT_SIGMA / 3   # the 2-sigma line
MR_OUTLIER = 3.267            # upper range limit for screening moving-range outliers
RUN_LENGTH = 7                # shift and trend length (MDC)
MIN_POINTS = 12               # fewer points per segment give unreliable limits (warning only)
DIRECTIONS = ("increase", "decrease", "neutral")
RULES = ("outside", "two_of_three", "shift", "trend")


class SPCError(ValueError):
    """Input an SPC chart cannot be computed from."""


@dataclass(frozen=True)
class Icon:
    key: str
    label: str
    colour: str
    letter: str = ""


VARIATION_ICONS = {i.key: i for i in (
    Icon("common_cause", "Common cause variation", "#A6A6A6"),
    Icon("improvement_high", "Special cause variation: improvement (higher)", "#00B0F0", "H"),
    Icon("improvement_low", "Special cause variation: improvement (lower)", "#00B0F0", "L"),
    Icon("concern_high", "Special cause variation: concern (higher)", "#E46C0A", "H"),
    Icon("concern_low", "Special cause variation: concern (lower)", "#E46C0A", "L"),
    Icon("neither_high", "Special cause variation: neither improvement nor concern (higher)",
         "#490092", "H"),
    Icon("neither_low", "Special cause variation: neither improvement nor concern (lower)",
         "#490092", "L"),
)}
ASSURANCE_ICONS = {i.key: i for i in (
    Icon("pass", "The system is expected to consistently pass the target", "#00B0F0", "P"),
    Icon("fail", "The system is expected to consistently fail the target", "#E46C0A", "F"),
    Icon("hit_and_miss", "The system may achieve or fail the target subject to random variation",
         "#A6A6A6", "?"),
)}


def _input(series, dates) -> pd.DataFrame:
    if isinstance(series, pd.DataFrame):
        raise SPCError("xmr takes one series of values (pass df[column])")
    s = pd.Series(series) if not isinstance(series, pd.Series) else series
    if dates is not None:
        if len(dates) != len(s):
            raise SPCError(f"{len(dates)} dates for {len(s)} values")
        s = pd.Series(s.to_numpy(), index=pd.Index(dates))
    if len(s) < 2:
        raise SPCError(f"SPC needs at least 2 points, got {len(s)}")
    if pd.api.types.is_bool_dtype(s.dtype):
        raise SPCError("SPC values must be numbers, got booleans")
    y = pd.to_numeric(s, errors="coerce")
    bad = y.isna() & s.notna()
    if bad.any():
        raise SPCError(f"SPC values must be numbers: {s[bad].iloc[0]!r} at {s.index[bad][0]!r}")
    if y.isna().any():
        missing = list(y.index[y.isna()])[:5]
        raise SPCError(f"SPC needs a value for every period; missing at {missing}"
                       " (a suppressed count cannot be charted: chart a larger unit)")
    if not np.isfinite(y.to_numpy(dtype="float64")).all():
        raise SPCError("SPC values must be finite")
    if y.index.has_duplicates:
        repeated = list(y.index[y.index.duplicated()])[:5]
        raise SPCError(f"periods must be unique; repeated: {repeated}")
    try:
        y = y.sort_index()
    except TypeError as exc:
        raise SPCError(f"periods cannot be ordered: {exc}") from None
    return pd.DataFrame({"x": y.index, "value": y.to_numpy(dtype="float64")})


def _segments(x: pd.Series, rebase) -> np.ndarray:
    if not rebase:
        return np.zeros(len(x), dtype=int)
    try:
        points = sorted(pd.Index(list(rebase)).astype(x.dtype))
    except (TypeError, ValueError) as exc:
        raise SPCError(f"rebase points must be of the same kind as the periods: {exc}") from None
    for p in points:
        if not (x.iloc[0] < p <= x.iloc[-1]):
            raise SPCError(f"rebase point {p!r} is not after the first period and within the "
                           "series")
    return np.searchsorted(np.asarray(points, dtype=x.dtype), x.to_numpy(), side="right")


def _runs(sign: np.ndarray, segment: np.ndarray) -> np.ndarray:
    """Length of the run of equal non-zero `sign` values each element belongs to (0 for zeros)."""
    s = pd.Series(sign)
    key = ((s != s.shift()) | (pd.Series(segment) != pd.Series(segment).shift())).cumsum()
    length = s.groupby(key).transform("size").to_numpy()
    return np.where(sign != 0, length, 0)


def _limits(df: pd.DataFrame, baseline: int | None, screen: bool) -> pd.DataFrame:
    out = []
    for _, seg in df.groupby("segment", sort=True):
        base = seg["value"].iloc[: baseline or len(seg)]
        if len(base) < 2:
            raise SPCError("each segment (between rebase points) needs at least 2 baseline points")
        if len(seg) < MIN_POINTS:
            warnings.warn(f"SPC segment of {len(seg)} points: limits are unreliable below "
                          f"{MIN_POINTS}", stacklevel=3)
        mr = base.diff().abs()
        amr = mr.mean()
        if screen:
            amr = mr[mr <= MR_OUTLIER * amr].mean()
        mean = base.mean()
        out.append(pd.DataFrame({
            "mean": mean, "amr": amr,
            "lpl": mean - LIMIT_SIGMA * amr, "upl": mean + LIMIT_SIGMA * amr,
            "lower_2sigma": mean - CLOSE_SIGMA * amr, "upper_2sigma": mean + CLOSE_SIGMA * amr,
            "mr": seg["value"].diff().abs(),
        }, index=seg.index))
    return pd.concat(out)


def _two_of_three(beyond: np.ndarray, segment: np.ndarray) -> np.ndarray:
    """Points beyond a 2-sigma line that belong to a window of 3 (within a segment) holding 2+."""
    b = pd.Series(beyond.astype(int))
    seg = pd.Series(segment)
    win = b.groupby(seg).transform(lambda v: v.rolling(3, min_periods=3).sum()).fillna(0) >= 2
    # point i is in the windows ending at i, i+1, i+2 (same segment)
    hit = np.zeros(len(b), dtype=bool)
    for lag in (0, 1, 2):
        w = win.shift(-lag, fill_value=False) & (seg.shift(-lag) == seg)
        hit |= w.to_numpy(dtype=bool)
    return hit & beyond


def xmr(series, dates=None, improvement: str = "increase", target: float | None = None,
        rebase=(), baseline: int | None = None, screen_outliers: bool = False) -> pd.DataFrame:
    """An XmR chart of `series` (indexed by period, or with `dates`).

    improvement: ``increase`` (higher is better), ``decrease`` or ``neutral``.
    target: optional target for the assurance icon (see `assurance`).
    rebase: periods at which a new segment (new mean and limits) starts.
    baseline: compute each segment's mean and limits from its first `baseline` points only.
    screen_outliers: leave out moving ranges above 3.267 x the mean moving range.

    Returns one row per period: x, value, segment, mean, mr, amr, lpl, upl, lower_2sigma,
    upper_2sigma, one boolean column per rule, special_cause, direction (1 high / -1 low / 0),
    point_type (common_cause | improvement | concern | neutral) and, as attributes,
    ``improvement`` and ``target``.
    """
    if improvement not in DIRECTIONS:
        raise SPCError(f"improvement must be one of {DIRECTIONS}, got {improvement!r}")
    if target is not None:
        try:
            target = float(target)
        except (TypeError, ValueError):
            raise SPCError(f"target must be a number, got {target!r}") from None
        if not np.isfinite(target):
            raise SPCError("target must be finite")
    if baseline is not None and (not isinstance(baseline, (int, np.integer)) or baseline < 2):
        raise SPCError(f"baseline must be a whole number of points >= 2, got {baseline!r}")
    df = _input(series, dates)
    df["segment"] = _segments(df["x"], rebase)
    df = df.join(_limits(df, baseline, screen_outliers))
    y, seg = df["value"].to_numpy(), df["segment"].to_numpy()

    side = np.sign(y - df["mean"].to_numpy())
    above, below = y > df["upl"].to_numpy(), y < df["lpl"].to_numpy()
    df["outside"] = above | below
    df["shift"] = _runs(side, seg) >= RUN_LENGTH

    step = np.sign(pd.Series(y).groupby(seg).diff().fillna(0).to_numpy())   # vs previous point
    steps_run = _runs(step, seg)            # run of equal steps; a run of 6 steps = 7 points
    in_trend_as_end = steps_run >= RUN_LENGTH - 1
    nxt = np.append(in_trend_as_end[1:], False) & np.append(seg[1:] == seg[:-1], False)
    df["trend"] = in_trend_as_end | nxt
    next_step = np.append(step[1:], 0)
    trend_dir = np.where(in_trend_as_end, step, np.where(nxt, next_step, 0))

    high = _two_of_three(y > df["upper_2sigma"].to_numpy(), seg)
    low = _two_of_three(y < df["lower_2sigma"].to_numpy(), seg)
    df["two_of_three"] = high | low

    direction = np.select(
        [df["outside"], df["two_of_three"], df["shift"], df["trend"]],
        [side, np.where(high, 1, -1), side, trend_dir], default=0).astype(int)
    df["special_cause"] = df[list(RULES)].any(axis=1)
    df["direction"] = direction
    good = {"increase": 1, "decrease": -1, "neutral": 0}[improvement]
    df["point_type"] = np.select(
        [~df["special_cause"], good == 0, direction == good],
        ["common_cause", "neutral", "improvement"], default="concern")
    df.attrs.update(improvement=improvement, target=target)
    return df


def variation(result: pd.DataFrame) -> str:
    """The variation icon key for the latest point (see VARIATION_ICONS)."""
    last = result.iloc[-1]
    if not last["special_cause"]:
        return "common_cause"
    kind = {"improvement": "improvement", "concern": "concern", "neutral": "neither"}
    return f"{kind[last['point_type']]}_{'high' if last['direction'] > 0 else 'low'}"


def assurance(result: pd.DataFrame, target: float | None = None) -> str | None:
    """The assurance icon key (pass | fail | hit_and_miss) for the latest segment's limits against
    `target` (default: the target given to `xmr`); None without a target or for neutral metrics.
    A target exactly on a limit counts as hit and miss."""
    target = result.attrs.get("target") if target is None else float(target)
    improvement = result.attrs.get("improvement", "increase")
    if target is None or improvement == "neutral":
        return None
    last = result.iloc[-1]
    lpl, upl = last["lpl"], last["upl"]
    if improvement == "increase":
        return "pass" if lpl > target else "fail" if upl < target else "hit_and_miss"
    return "pass" if upl < target else "fail" if lpl > target else "hit_and_miss"


def summary(result: pd.DataFrame) -> dict:
    """Latest value, mean, limits and both icons, for headlines and dashboards."""
    last = result.iloc[-1]
    v, a = variation(result), assurance(result)
    return {
        "latest": float(last["value"]), "mean": float(last["mean"]),
        "lpl": float(last["lpl"]), "upl": float(last["upl"]),
        "variation": v, "variation_label": VARIATION_ICONS[v].label,
        "assurance": a, "assurance_label": ASSURANCE_ICONS[a].label if a else None,
    }
