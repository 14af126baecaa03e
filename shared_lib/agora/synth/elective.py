"""Planned care: the RTT waiting list (monthly PTL snapshots), cancer pathways and outpatient
appointments (first appointments of new RTT and cancer pathways, then other activity)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import constants as C
from .acute import _local_site, _lognormal
from .population import Population, use_weights
from .rng import Streams
from .timeline import Month, before_death, choose, late_labels, monthly_count, pick_people

RTT_TFC = {"130": 12, "110": 14, "100": 8, "101": 6, "120": 7, "301": 8, "320": 7, "330": 8,
           "340": 4, "400": 4, "502": 8, "300": 4, "430": 2, "370": 2}
HISTORY_MONTHS = 36
TUMOUR_SITES = {"Breast": 18, "Lower GI": 20, "Skin": 17, "Urological": 12, "Lung": 5,
                "Gynaecological": 9, "Upper GI": 7, "Head and Neck": 8, "Haematological": 2,
                "Other": 2}


def _day(ts) -> np.ndarray:
    return np.asarray(ts).astype("datetime64[D]")


def rtt(streams: Streams, pop: Population, mths: list[Month]) -> pd.DataFrame:
    """Pathways with clock starts over the history and the period, waits from a mixture."""
    rng = streams.rng("rtt")
    per_month = C.RTT_CLOCK_STARTS_PER_MONTH * pop.scale
    span_days = HISTORY_MONTHS * 30 + (pop.end - pop.start).days
    k = int(round(per_month * span_days / 30.44))
    first_day = _day(np.datetime64(pop.start.date())) - np.timedelta64(HISTORY_MONTHS * 30, "D")
    start = first_day + rng.integers(0, span_days, k).astype("timedelta64[D]")
    kind = rng.choice(3, k, p=[0.55, 0.35, 0.10])
    wait = np.where(kind == 0, rng.exponential(60, k),
                    np.where(kind == 1, rng.gamma(2, 80, k), rng.uniform(200, 450, k)))
    stop = start + np.ceil(wait).astype("int64").astype("timedelta64[D]")
    keep = stop >= _day(np.datetime64(pop.start.date()))
    start, stop, k = start[keep], stop[keep], int(keep.sum())
    person = pick_people(rng, use_weights(pop, "planned"), k)
    dob = _day(pop.people["dob"].to_numpy()[person])
    start = np.maximum(start, dob)
    stop = np.maximum(stop, start)
    death = _day(pop.people["death_date"].to_numpy()[person])
    died = ~np.isnat(death) & (death < stop)
    stop = np.where(died, np.maximum(death, start), stop)
    reason = np.where(died, "validated_removal",
                      rng.choice(["admitted", "non_admitted", "validated_removal"], k,
                                 p=[0.20, 0.75, 0.05]))
    return pd.DataFrame({
        "rtt_pathway_id": "RTT" + pd.Series(np.arange(k)).astype(str).str.zfill(9),
        "treatment_function": choose(rng, RTT_TFC, k),
        "clock_start_date": start.astype("datetime64[s]"), "stop": stop.astype("datetime64[s]"),
        "reason": reason, "_person": person})


def rtt_snapshots(paths: pd.DataFrame, mths: list[Month]) -> pd.DataFrame:
    """One row per pathway per month-end census it is open at, or stopped in that month."""
    start = _day(paths["clock_start_date"].to_numpy())
    stop = _day(paths["stop"].to_numpy())
    census = np.array([_day(np.datetime64(m.end.date())) - np.timedelta64(1, "D") for m in mths])
    mstart = np.array([_day(np.datetime64(m.start.date())) for m in mths])
    # months i with start <= census_i and stop >= month_start_i
    first = np.searchsorted(census, start, side="left")
    last = np.searchsorted(mstart, stop, side="right") - 1
    n = np.maximum(last - first + 1, 0)
    rows = np.repeat(np.arange(len(paths)), n)
    month_idx = np.repeat(first, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
    snap = paths.iloc[rows].reset_index(drop=True)
    cen = census[month_idx]
    stopped = _day(snap["stop"].to_numpy()) <= cen
    snap["clock_stop_date"] = pd.Series(snap["stop"]).where(stopped)
    snap["stop_reason"] = snap["reason"].where(stopped)
    snap["_month"] = np.array([m.label for m in mths])[month_idx]
    return snap.drop(columns=["stop", "reason"])


def cancer(streams: Streams, pop: Population, mths: list[Month]) -> pd.DataFrame:
    rng = streams.rng("cancer")
    frames = []
    end = np.datetime64(pop.end.date(), "D")
    for m in mths:
        k = monthly_count(C.CANCER_REFERRALS, pop.scale, m)
        w = use_weights(pop, "planned") * np.clip(pop.people["age"].to_numpy() - 20, 1, 70)
        person = pick_people(rng, w, k)
        ref = _day(before_death(pop, person, (np.datetime64(m.start.date(), "D")
                                              + rng.integers(0, m.days, k).astype("timedelta64[D]")
                                              ).astype("datetime64[s]"), rng))
        site = choose(rng, TUMOUR_SITES, k)
        sex = pop.people["sex"].to_numpy()[person]
        site = np.where((sex == "M") & np.isin(site, ["Breast", "Gynaecological"]), "Urological",
                        site)
        diag = ref + np.ceil(_lognormal(rng, 18, 0.6, k)).astype("int64").astype("timedelta64[D]")
        confirmed = rng.random(k) < C.CANCER_CONVERSION
        dtt = diag + np.ceil(_lognormal(rng, 14, 0.5, k)).astype("int64").astype("timedelta64[D]")
        treat = dtt + np.ceil(_lognormal(rng, 12, 0.6, k)).astype("int64").astype(
            "timedelta64[D]")
        known_diag = diag < end
        dtt = np.where(confirmed & known_diag & (dtt < end), dtt, np.datetime64("NaT"))
        treat = np.where(~np.isnat(dtt) & (treat < end), treat, np.datetime64("NaT"))
        frames.append(pd.DataFrame({
            "referral_date": ref.astype("datetime64[s]"), "tumour_site": site,
            "diagnosis_date": np.where(known_diag, diag, np.datetime64("NaT")).astype(
                "datetime64[s]"),
            "cancer_confirmed": pd.Series(confirmed, dtype="boolean").where(known_diag),
            "decision_to_treat_date": dtt.astype("datetime64[s]"),
            "first_treatment_date": treat.astype("datetime64[s]"), "_person": person,
            "_month": m.label}))
    df = pd.concat(frames, ignore_index=True)
    df.insert(0, "cancer_pathway_id", "CWT" + pd.Series(np.arange(len(df))).astype(str)
              .str.zfill(8))
    return df


def outpatients(streams: Streams, pop: Population, mths: list[Month], paths: pd.DataFrame,
                cwt: pd.DataFrame) -> pd.DataFrame:
    rng = streams.rng("outpatients")
    last = mths[-1].label
    p_start = np.datetime64(pop.start.date(), "D")
    p_end = np.datetime64(pop.end.date(), "D")
    # First appointments of RTT pathways that start in the period
    cs = _day(paths["clock_start_date"].to_numpy())
    stop = _day(paths["stop"].to_numpy())
    new = (cs >= p_start) & (cs < p_end)
    lead = np.ceil(_lognormal(rng, 42, 0.5, len(paths))).astype("int64").astype("timedelta64[D]")
    appt = np.minimum(cs + lead, stop)
    rtt_first = paths[new & (appt < p_end)]
    rtt_day = appt[new & (appt < p_end)]
    # 2WW first appointments of cancer pathways
    cw_day = _day(cwt["referral_date"].to_numpy()) + np.ceil(
        _lognormal(rng, 9, 0.4, len(cwt))).astype("int64").astype("timedelta64[D]")
    cw_ok = cw_day < p_end
    n_total = sum(monthly_count(C.VOLUMES["op_booked"], pop.scale, m) for m in mths)
    n_other = max(0, n_total - len(rtt_first) - int(cw_ok.sum()))
    o_person = pick_people(rng, use_weights(pop, "planned"), n_other)
    o_day = p_start + rng.integers(0, (p_end - p_start).astype(int), n_other).astype(
        "timedelta64[D]")
    o_ref = o_day - np.ceil(_lognormal(rng, 60, 0.8, n_other)).astype("int64").astype(
        "timedelta64[D]")
    o_first = rng.random(n_other) < 0.25
    person = np.concatenate([rtt_first["_person"].to_numpy(), cwt["_person"].to_numpy()[cw_ok],
                             o_person])
    day = np.concatenate([rtt_day, cw_day[cw_ok], o_day])
    ref = np.concatenate([cs[new & (appt < p_end)], _day(cwt["referral_date"].to_numpy())[cw_ok],
                          o_ref])
    k = person.size
    n_rtt, n_cw = len(rtt_first), int(cw_ok.sum())
    day = _day(before_death(pop, person, day.astype("datetime64[s]"), rng))
    ref = np.minimum(ref, day)
    # weekends move to the Friday before
    dow = (day.view("int64") - 4) % 7
    day = day - np.where(dow >= 5, dow - 4, 0).astype("timedelta64[D]")
    day = np.maximum(day, ref)
    status = rng.choice(["attended", "dna", "cancelled_patient", "cancelled_provider"], k,
                        p=[C.OP_ATTENDED_SHARE, 0.07, 0.06, 1 - C.OP_ATTENDED_SHARE - 0.13])
    tfc = np.concatenate([rtt_first["treatment_function"].to_numpy(),
                          np.where(cwt["tumour_site"].to_numpy()[cw_ok] == "Breast", "100", "301"),
                          choose(rng, RTT_TFC, n_other)])
    df = pd.DataFrame({
        "appointment_id": "OP" + pd.Series(np.arange(k)).astype(str).str.zfill(10),
        "site_code": _local_site(pop, person), "appointment_date": day.astype("datetime64[s]"),
        "attendance_status": status,
        "first_attendance": np.concatenate([np.ones(n_rtt + n_cw, bool), o_first]),
        "medium": rng.choice(["face_to_face", "telephone", "video"], k, p=[0.8, 0.17, 0.03]),
        "treatment_function": tfc,
        "priority": np.concatenate([np.full(n_rtt, "1"), np.full(n_cw, "3"),
                                    rng.choice(["1", "2"], n_other, p=[0.85, 0.15])]),
        "referral_date": ref.astype("datetime64[s]"),
        "rtt_pathway_id": np.concatenate([rtt_first["rtt_pathway_id"].to_numpy(),
                                          np.full(n_cw + n_other, None, dtype=object)]),
        "_person": person})
    df["_month"], df["_late"] = late_labels(rng, day, last)
    return df


def admitted_stops(paths: pd.DataFrame, pop: Population) -> pd.DataFrame:
    """RTT pathways stopped by an elective admission within the period (for apc)."""
    s = _day(paths["stop"].to_numpy())
    inside = (s >= np.datetime64(pop.start.date(), "D")) & (s < np.datetime64(pop.end.date(), "D"))
    out = paths[inside & (paths["reason"] == "admitted").to_numpy()]
    return out.rename(columns={"stop": "clock_stop_date"})

