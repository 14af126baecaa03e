"""Community services (CSDS) and mental health services (MHSDS): referrals forming a caseload,
care contacts drawn from the open caseload each month, and mental health hospital spells."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import constants as C
from .acute import _lognormal
from .population import Population, use_weights
from .rng import Streams
from .timeline import OFFICE, Month, choose, late_labels, monthly_count, pick_people

COMMUNITY_TEAMS = {"District Nursing": 35, "Community Physiotherapy": 15, "Podiatry": 12,
                   "Speech and Language Therapy": 6, "Community Matron": 8, "Rapid Response": 8,
                   "Diabetes Specialist Nursing": 6, "Wheelchair Services": 4,
                   "Occupational Therapy": 6}
MH_SERVICES = {"Community Mental Health Team": 30, "NHS Talking Therapies": 35,
               "Crisis Resolution Home Treatment": 8, "Memory Assessment Service": 12,
               "Early Intervention in Psychosis": 5, "Perinatal Mental Health": 4,
               "Children and Young People's Mental Health": 6}
HISTORY_MONTHS = 36


def caseload(rng: np.random.Generator, pop: Population, weights: np.ndarray, per_month: float,
             median_days: float, mths: list[Month], prefix: str) -> pd.DataFrame:
    """Referrals received over the history and the period; those open at the start or later."""
    p_start = np.datetime64(pop.start.date(), "D")
    p_end = np.datetime64(pop.end.date(), "D")
    span = HISTORY_MONTHS * 30 + int((p_end - p_start).astype(int))
    k = int(round(per_month * pop.scale * span / 30.44))
    ref = p_start - np.timedelta64(HISTORY_MONTHS * 30, "D") + rng.integers(0, span, k).astype(
        "timedelta64[D]")
    end = ref + np.ceil(_lognormal(rng, median_days, 1.0, k)).astype("int64").astype(
        "timedelta64[D]")
    keep = end >= p_start
    ref, end, k = ref[keep], end[keep], int(keep.sum())
    person = pick_people(rng, weights, k)
    dob = pop.people["dob"].to_numpy().astype("datetime64[D]")[person]
    ref = np.maximum(ref, dob)
    death = pop.people["death_date"].to_numpy().astype("datetime64[D]")[person]
    end = np.where(~np.isnat(death) & (death < end), np.maximum(death, ref), end)
    end = np.maximum(end, ref)
    month = np.where(ref < p_start, mths[0].label,
                     np.datetime_as_string(ref.astype("datetime64[M]"), unit="M"))
    return pd.DataFrame({
        "referral_id": prefix + pd.Series(np.arange(k)).astype(str).str.zfill(9),
        "referral_date": ref.astype("datetime64[s]"),
        # discharges as known at the end of the period
        "discharge_date": np.where(end < p_end, end, np.datetime64("NaT")).astype("datetime64[s]"),
        "_end": end.astype("datetime64[s]"), "_person": person, "_month": month})


def contacts(rng: np.random.Generator, pop: Population, refs: pd.DataFrame, per_month: float,
             mths: list[Month], prefix: str, attended_share: float, mediums: dict[str, float]
             ) -> pd.DataFrame:
    """Contacts of each month, from referrals open during it (weighted by days open)."""
    frames = []
    ref_day = refs["referral_date"].to_numpy().astype("datetime64[D]")
    end_day = refs["_end"].to_numpy().astype("datetime64[D]")
    intensity = rng.gamma(2.0, 0.5, len(refs))
    for m in mths:
        ms, me = np.datetime64(m.start.date(), "D"), np.datetime64(m.end.date(), "D")
        lo = np.maximum(ref_day, ms)
        hi = np.minimum(end_day + np.timedelta64(1, "D"), me)
        days = (hi - lo).astype(int)
        open_ = days > 0
        if not open_.any():
            continue
        k = monthly_count(per_month * 12, pop.scale, m)
        w = np.where(open_, days * intensity, 0).astype(float)
        pick = rng.choice(len(refs), k, p=w / w.sum())
        day = lo[pick] + (rng.random(k) * days[pick]).astype("int64").astype("timedelta64[D]")
        hour = rng.choice(24, k, p=OFFICE / OFFICE.sum())
        at = day.astype("datetime64[s]") + (hour * 3600 + rng.integers(0, 4, k) * 900
                                            ).astype("timedelta64[s]")
        frames.append(pd.DataFrame({
            "referral_id": refs["referral_id"].to_numpy()[pick], "contact_at": at,
            "attended": rng.random(k) < attended_share,
            "medium": rng.choice(list(mediums), k, p=list(mediums.values())),
            "_person": refs["_person"].to_numpy()[pick]}))
    df = pd.concat(frames, ignore_index=True)
    df.insert(0, "contact_id", prefix + pd.Series(np.arange(len(df))).astype(str).str.zfill(10))
    df["_month"], df["_late"] = late_labels(rng, df["contact_at"].to_numpy(), mths[-1].label)
    return df


def community(streams: Streams, pop: Population, mths: list[Month]) -> tuple[pd.DataFrame,
                                                                           pd.DataFrame]:
    rng = streams.rng("community")
    refs = caseload(rng, pop, use_weights(pop, "community"), C.COMMUNITY_REFERRALS_PER_MONTH, 45,
                    mths, "CSR")
    refs["team_type"] = choose(rng, COMMUNITY_TEAMS, len(refs))
    cons = contacts(rng, pop, refs, C.VOLUMES["community_contact"] / 12, mths, "CC", 0.93,
                    {"face_to_face": 0.8, "telephone": 0.17, "video": 0.03})
    return refs, cons


def mental_health(streams: Streams, pop: Population, mths: list[Month]
                  ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = streams.rng("mental_health")
    w = use_weights(pop, "mental_health")
    refs = caseload(rng, pop, w, C.MH_REFERRALS_PER_MONTH, 150, mths, "MHR")
    refs["service_type"] = choose(rng, MH_SERVICES, len(refs))
    cons = contacts(rng, pop, refs, C.MH_CONTACTS_PER_MONTH, mths, "MHC", 0.88,
                    {"face_to_face": 0.7, "telephone": 0.25, "video": 0.05})
    # Hospital spells: mostly people with serious mental illness or dementia
    p_start = np.datetime64(pop.start.date(), "D")
    p_end = np.datetime64(pop.end.date(), "D")
    k = int(round(C.MH_SPELLS * pop.scale * (p_end - p_start).astype(int) / 365.25))
    sw = w * (1 + 20 * pop.people["c_smi"].to_numpy())
    person = pick_people(rng, sw, k)
    adm = p_start + rng.integers(0, (p_end - p_start).astype(int), k).astype("timedelta64[D]")
    dis = adm + np.ceil(_lognormal(rng, 30, 0.8, k)).astype("int64").astype("timedelta64[D]")
    death = pop.people["death_date"].to_numpy().astype("datetime64[D]")[person]
    adm = np.where(~np.isnat(death) & (death <= adm), death - np.timedelta64(1, "D"), adm)
    dis = np.where(~np.isnat(death) & (death < dis), death, dis)
    dis = np.maximum(dis, adm)
    spells = pd.DataFrame({
        "spell_id": "MHS" + pd.Series(np.arange(k)).astype(str).str.zfill(8),
        "admission_date": adm.astype("datetime64[s]"),
        "discharge_date": np.where(dis < p_end, dis, np.datetime64("NaT")).astype("datetime64[s]"),
        "_person": person,
        "_month": np.datetime_as_string(adm.astype("datetime64[M]"), unit="M")})
    return refs, cons, spells
