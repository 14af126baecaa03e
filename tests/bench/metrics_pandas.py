"""The same metrics computed in pandas from the raw tables: the benchmark's baseline, and an
independent check of the SQL at scale. Whole period, no breakdown; vectorised (no row loops).

Each function takes the raw tables (dict of DataFrames) and the period, and returns the headline
value: a float, or a Series indexed like the SQL result's extra dimension (category, pathway,
treatment function).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

H = pd.Timedelta(hours=1)
DAY = pd.Timedelta(days=1)


def _between(ts: pd.Series, start, end) -> pd.Series:
    return (ts >= pd.Timestamp(start)) & (ts < pd.Timestamp(end) + DAY)


def _pct(mask: pd.Series, denominator: pd.Series) -> float:
    return 100.0 * mask[denominator].sum() / denominator.sum()


def _ae(t, start, end, department_type="all"):
    ae = t["ae_attendance"]
    ae = ae[_between(ae["arrival_at"], start, end)]
    if department_type != "all":
        ae = ae[ae["department_type"] == department_type]
    return ae


def ae_4hour(t, start, end, department_type="all"):
    ae = _ae(t, start, end, department_type)
    d = ae["departure_at"] - ae["arrival_at"]
    return _pct(d <= 4 * H, d >= pd.Timedelta(0))


def ae_4hour_type1(t, start, end):
    return ae_4hour(t, start, end, "01")


def ae_12_hours(t, start, end):
    ae = _ae(t, start, end)
    d = ae["departure_at"] - ae["arrival_at"]
    return _pct(d > 12 * H, d >= pd.Timedelta(0))


def ae_initial_assessment(t, start, end):
    ae = _ae(t, start, end)
    d = ae["initial_assessment_at"] - ae["arrival_at"]
    return _pct(d <= pd.Timedelta(minutes=15), d >= pd.Timedelta(0))


def ambulance_response(t, start, end):
    a = t["ambulance_incident"]
    a = a[_between(a["call_connect_at"], start, end)]
    minutes = (a["clock_stop_at"] - a["call_connect_at"]).dt.total_seconds() / 60
    minutes = minutes.where(minutes >= 0)
    return minutes.groupby(a["category"]).quantile(0.9)


def _handovers(t, start, end):
    a = t["ambulance_incident"]
    a = a[a["hospital_arrival_at"].notna() & _between(a["hospital_arrival_at"], start, end)]
    seconds = (a["handover_at"] - a["hospital_arrival_at"]).dt.total_seconds()
    return seconds[seconds >= 0]


def ambulance_handover(t, start, end):
    s = _handovers(t, start, end)
    return 100.0 * (s <= 900).sum() / len(s)


def ambulance_hours_lost(t, start, end):
    return (_handovers(t, start, end) - 900).clip(lower=0).sum() / 3600


def bed_occupancy(t, start, end):
    b = t["bed_daily"]
    b = b[(b["snapshot_date"] >= pd.Timestamp(start)) & (b["snapshot_date"] <= pd.Timestamp(end))]
    return 100.0 * b["ga_beds_occupied"].sum() / b["ga_beds_available"].sum()


def _stranded_days(t, start, end, min_los):
    """Mean daily count of inpatients with LOS >= min_los at the end-of-day census.

    A spell is in the census at the end of day D when admission date <= D <= discharge date - 1,
    with LOS = D - admission date; so it counts on days [admission + min_los, discharge - 1].
    """
    s = t["apc_spell"]
    first = s["admission_at"].dt.floor("D") + pd.to_timedelta(min_los, unit="D")
    last = s["discharge_at"].dt.floor("D").fillna(pd.Timestamp("2262-01-01")) - DAY
    lo = first.clip(lower=pd.Timestamp(start))
    hi = last.clip(upper=pd.Timestamp(end))
    days = ((hi - lo) / DAY + 1).clip(lower=0)
    n_days = (pd.Timestamp(end) - pd.Timestamp(start)) / DAY + 1
    return days.sum() / n_days


def stranded(t, start, end):
    return _stranded_days(t, start, end, 7)


def super_stranded(t, start, end):
    return _stranded_days(t, start, end, 21)


def delayed_discharge(t, start, end):
    s = t["apc_spell"]
    s = s[s["discharge_at"].notna() & s["discharge_ready_date"].notna()]
    discharged = s["discharge_at"].dt.floor("D")
    s = s[(discharged >= pd.Timestamp(start)) & (discharged <= pd.Timestamp(end))]
    delay = ((s["discharge_at"].dt.floor("D") - s["discharge_ready_date"]) / DAY).clip(lower=0)
    pathway = s["discharge_pathway"].astype("Int64").astype("string").fillna("unknown")
    return delay.groupby(pathway).sum()


def _waiting_weeks(t, end):
    r = t["rtt_pathway"]
    snap = pd.Timestamp(end)
    waiting = (r["clock_start_date"] <= snap) & ~(r["clock_stop_date"] <= snap)
    r = r[waiting]
    return r, ((snap - r["clock_start_date"]) / DAY // 7)


def rtt_18_weeks(t, start, end):
    _, weeks = _waiting_weeks(t, end)
    return 100.0 * (weeks < 18).sum() / len(weeks)


def rtt_52_weeks(t, start, end):
    _, weeks = _waiting_weeks(t, end)
    return float((weeks >= 52).sum())


def rtt_waiting_list(t, start, end):
    r, _ = _waiting_weeks(t, end)
    return r.groupby("treatment_function").size().astype(float)


def rtt_projection(t, start, end, horizon_weeks=26):
    r = t["rtt_pathway"]
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    r = r[r["clock_start_date"] <= e]
    weeks = ((e - s) / DAY + 1) / 7
    g = r.assign(
        waiting=~(r["clock_stop_date"] <= e),
        started=r["clock_start_date"].between(s, e),
        stopped=r["clock_stop_date"].between(s, e),
    ).groupby("treatment_function")[["waiting", "started", "stopped"]].sum()
    growth = (g["started"] - g["stopped"]) / weeks
    return (g["waiting"] + horizon_weeks * growth).clip(lower=0)


def _cancer(t, start, end, stop, begin, days):
    c = t["cancer_pathway"]
    c = c[c[stop].notna() & c[begin].notna()]
    c = c[(c[stop] >= pd.Timestamp(start)) & (c[stop] <= pd.Timestamp(end))]
    d = (c[stop] - c[begin]) / DAY
    return _pct(d <= days, d >= 0)


def cancer_fds_28_day(t, start, end):
    return _cancer(t, start, end, "diagnosis_date", "referral_date", 28)


def cancer_62_day(t, start, end):
    return _cancer(t, start, end, "first_treatment_date", "referral_date", 62)


def cancer_31_day(t, start, end):
    return _cancer(t, start, end, "first_treatment_date", "decision_to_treat_date", 31)


def frequent_attenders(t, start, end):
    ae = t["ae_attendance"]
    snap = pd.Timestamp(end)
    window = (ae["arrival_at"] >= snap - pd.DateOffset(months=12) + DAY) & \
        (ae["arrival_at"] < snap + DAY)
    counts = ae.loc[window, "person_id"].value_counts()
    return float((counts >= 3).sum())


# The raw tables each baseline reads (an analyst in pandas would load these from the store first).
TABLES = {
    **dict.fromkeys(("ae_4hour", "ae_4hour_type1", "ae_12_hours", "ae_initial_assessment",
                     "frequent_attenders"), ("ae_attendance",)),
    **dict.fromkeys(("ambulance_response", "ambulance_handover", "ambulance_hours_lost"),
                    ("ambulance_incident",)),
    "bed_occupancy": ("bed_daily",),
    **dict.fromkeys(("stranded", "super_stranded", "delayed_discharge"), ("apc_spell",)),
    **dict.fromkeys(("rtt_18_weeks", "rtt_52_weeks", "rtt_waiting_list", "rtt_projection"),
                    ("rtt_pathway",)),
    **dict.fromkeys(("cancer_fds_28_day", "cancer_62_day", "cancer_31_day"),
                    ("cancer_pathway",)),
}


def as_series(value) -> pd.Series:
    return value if isinstance(value, pd.Series) else pd.Series([value])


def same(sql_values: pd.Series, pandas_value) -> bool:
    """Whether the SQL result's values equal the pandas ones (to float rounding)."""
    expected = as_series(pandas_value)
    got = sql_values.reset_index(drop=True)
    if len(got) != len(expected):
        return False
    return bool(np.allclose(got.astype(float).to_numpy(), expected.astype(float).to_numpy(),
                            rtol=1e-9, atol=1e-9, equal_nan=True))
