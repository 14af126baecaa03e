"""Months of the period, monthly volumes, times of day, who uses a service and when."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import constants as C
from .population import Population


@dataclass(frozen=True)
class Month:
    label: str                 # YYYY-MM
    start: pd.Timestamp
    end: pd.Timestamp          # exclusive
    index: int                 # 0-based position in the period

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def months(start: pd.Timestamp, n: int) -> list[Month]:
    out = []
    for i in range(n):
        s = start + pd.DateOffset(months=i)
        out.append(Month(s.strftime("%Y-%m"), s, s + pd.DateOffset(months=1), i))
    return out


def monthly_count(yearly: float, scale: float, month: Month, seasonal: bool = False) -> int:
    """Records in one month for a yearly volume at scale (exact, so volumes are testable)."""
    factor = C.URGENT_SEASON[month.start.month] if seasonal else 1.0
    return int(round(yearly * scale * factor * month.days / 365.25))


def pick_people(rng: np.random.Generator, weights: np.ndarray, k: int,
                pop: Population | None = None, alive_from: pd.Timestamp | None = None
                ) -> np.ndarray:
    """k people drawn with replacement, in proportion to their weights (only people alive on
    `alive_from` when given)."""
    if pop is not None and alive_from is not None:
        death = pop.people["death_date"].to_numpy()
        weights = np.where(np.isnat(death) | (death > np.datetime64(alive_from.date())),
                           weights, 0.0)
    return rng.choice(weights.size, size=k, p=weights / weights.sum())


def choose(rng: np.random.Generator, options: dict, k: int) -> np.ndarray:
    """k keys of `options` drawn in proportion to their values."""
    w = np.array(list(options.values()), dtype=float)
    return rng.choice(np.array(list(options), dtype=object), k, p=w / w.sum())


def choose_index(rng: np.random.Generator, weights, k: int) -> np.ndarray:
    """k indices drawn in proportion to the weights."""
    w = np.asarray(weights, dtype=float)
    return rng.choice(w.size, k, p=w / w.sum())


# Arrivals by hour of day (urgent care; assumption shaped like ECDS hourly profiles)
HOURLY = np.array([2.0, 1.6, 1.3, 1.1, 1.0, 1.1, 1.6, 2.6, 4.2, 5.6, 6.3, 6.4, 6.2, 6.0, 5.8,
                   5.7, 5.8, 5.9, 5.7, 5.3, 4.8, 4.1, 3.3, 2.6])
OFFICE = np.array([0, 0, 0, 0, 0, 0, 0, 0.5, 8, 10, 10, 9, 6, 8, 9, 9, 8, 6, 2, 0.5, 0, 0, 0, 0],
                  dtype=float)


def times_in(rng: np.random.Generator, month: Month, k: int,
             hourly: np.ndarray = HOURLY, weekdays_only: bool = False) -> np.ndarray:
    """k timestamps (datetime64[s]) within the month with the given hour-of-day profile."""
    day = rng.integers(0, month.days, k)
    if weekdays_only:            # weekend days move to the Monday after (or the Friday before)
        dates = np.datetime64(month.start.date(), "D") + day.astype("timedelta64[D]")
        dow = (dates.view("int64") - 4) % 7                  # 0 = Monday (1970-01-01: Thursday)
        later = day + np.where(dow >= 5, 7 - dow, 0)
        day = np.where(later < month.days, later, day - np.where(dow >= 5, dow - 4, 0))
    hour = rng.choice(24, k, p=hourly / hourly.sum())
    sec = rng.integers(0, 3600, k)
    base = np.datetime64(month.start.date(), "s")
    return base + (day * 86400 + hour * 3600 + sec).astype("timedelta64[s]")


def dates_in(rng: np.random.Generator, month: Month, k: int) -> np.ndarray:
    """k dates (datetime64[s] at midnight) within the month."""
    day = rng.integers(0, month.days, k)
    return (np.datetime64(month.start.date(), "D") + day.astype("timedelta64[D]")
            ).astype("datetime64[s]")


def before_death(pop: Population, person: np.ndarray, when: np.ndarray,
                 rng: np.random.Generator, floor: pd.Timestamp | None = None) -> np.ndarray:
    """Move events after a person's death to a time between `floor` (default: the period
    start) and the death; people drawn for a month are alive at its start, so with the month
    start as floor events stay in their month."""
    death = pop.people["death_date"].to_numpy().astype("datetime64[s]")[person]
    after = ~np.isnat(death) & (when >= death)
    if after.any():
        start = np.datetime64((floor if floor is not None else pop.start).date(), "s")
        span = np.maximum((death[after] - start).astype("int64"), 0)
        when = when.copy()
        when[after] = start + (rng.random(after.sum()) * span).astype("int64").astype(
            "timedelta64[s]")
    return when


def minutes(values: np.ndarray) -> np.ndarray:
    return (np.asarray(values) * 60).astype("int64").astype("timedelta64[s]")


def label(when: np.ndarray) -> np.ndarray:
    """YYYY-MM of timestamps."""
    return np.datetime_as_string(np.asarray(when).astype("datetime64[M]"), unit="M")


def late_labels(rng: np.random.Generator, when: np.ndarray, last: str) -> tuple[np.ndarray,
                                                                              np.ndarray]:
    """File month of each record: its own month, or the next one for late records."""
    own = np.asarray(when).astype("datetime64[M]")
    late = (rng.random(own.size) < C.LATE_SHARE) & (np.datetime_as_string(own, unit="M") < last)
    filed = np.where(late, own + np.timedelta64(1, "M"), own)
    return np.datetime_as_string(filed, unit="M"), late
