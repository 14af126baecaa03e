"""Adult social care: requests, assessments, long-term services and reviews, written by the
council of the person's district (Essex County Council, Southend-on-Sea, Thurrock)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import constants as C
from .acute import _lognormal
from .population import Population, use_weights, weighted_sample_without_replacement
from .rng import Streams
from .timeline import Month, choose, pick_people

SERVICES = {  # service type -> (weight, typical weekly cost in pounds)
    "Long Term Support: Community: Home Care": (45, 420.0),
    "Long Term Support: Community: Direct Payment": (20, 380.0),
    "Long Term Support: Community: Day Care": (7, 150.0),
    "Long Term Support: Residential Care": (18, 1050.0),
    "Long Term Support: Nursing Care": (10, 1250.0),
}
REASONS = ("Physical Support: Personal Care Support", "Physical Support: Access and Mobility Only",
           "Memory and Cognition Support", "Learning Disability Support", "Mental Health Support",
           "Sensory Support", "Social Support")
COUNCIL_FEEDS = {"E10000012": "ecc_asc", "E06000033": "sos_asc", "E06000034": "thurrock_asc"}


def _reason(rng, pop: Population, person: np.ndarray) -> np.ndarray:
    p = pop.people
    out = rng.choice(REASONS, person.size, p=[0.5, 0.2, 0.0, 0.0, 0.0, 0.05, 0.25])
    out = np.where(p["c_smi"].to_numpy()[person], REASONS[4], out)
    out = np.where(p["c_dementia"].to_numpy()[person], REASONS[2], out)
    return np.where(p["c_learning_disability"].to_numpy()[person], REASONS[3], out)


def events(streams: Streams, pop: Population, mths: list[Month]) -> dict[str, pd.DataFrame]:
    """Events per council feed name."""
    rng = streams.rng("social_care")
    p_start = np.datetime64(pop.start.date(), "D")
    p_end = np.datetime64(pop.end.date(), "D")
    n_days = int((p_end - p_start).astype(int))
    w = use_weights(pop, "social_care")
    # Requests and the assessments that follow most of them
    k = int(round(C.VOLUMES["asc_requests"] * pop.scale * n_days / 365.25))
    req_person = pick_people(rng, w, k)
    req_day = p_start + rng.integers(0, n_days, k).astype("timedelta64[D]")
    assessed = rng.random(k) < 0.6
    ass_day = req_day + np.ceil(_lognormal(rng, 14, 0.6, k)).astype("int64").astype(
        "timedelta64[D]")
    ass_end = ass_day + np.ceil(_lognormal(rng, 7, 0.5, k)).astype("int64").astype(
        "timedelta64[D]")
    a = assessed & (ass_day < p_end)
    # Long-term clients: most started before the period
    n_lt = int(round(C.VOLUMES["asc_long_term_clients"] * pop.scale))
    lt_person = weighted_sample_without_replacement(rng, w, n_lt)
    before = rng.random(lt_person.size) < 0.75
    lt_start = np.where(before, p_start - rng.integers(1, 5 * 365, lt_person.size).astype(
        "timedelta64[D]"), p_start + rng.integers(0, n_days, lt_person.size).astype(
        "timedelta64[D]"))
    svc = choose(rng, {name: s[0] for name, s in SERVICES.items()}, lt_person.size)
    cost = np.array([SERVICES[s][1] for s in svc]) * rng.uniform(0.6, 1.5, lt_person.size)
    death = pop.people["death_date"].to_numpy().astype("datetime64[D]")[lt_person]
    lt_end = np.where(~np.isnat(death), death, np.datetime64("NaT"))
    lt_end = np.where(~np.isnat(lt_end) & (lt_end < lt_start), lt_start, lt_end)
    # Reviews: one a year for each long-term client, in the period while the service lasts
    rv_day = p_start + rng.integers(0, n_days, lt_person.size).astype("timedelta64[D]")
    rv = (rv_day >= lt_start) & (np.isnat(lt_end) | (rv_day <= lt_end))
    nat = np.full(1, np.datetime64("NaT"), dtype="datetime64[D]")
    parts = [
        ("request", req_person, req_day, req_day, None, None),
        ("assessment", req_person[a], ass_day[a],
         np.where(ass_end[a] < p_end, ass_end[a], nat[0]), None, None),
        ("service", lt_person, lt_start, lt_end, svc, np.round(cost, 2)),
        ("review", lt_person[rv], rv_day[rv], rv_day[rv], None, None),
    ]
    frames = []
    for kind, person, start, end, service, c in parts:
        n = person.size
        frames.append(pd.DataFrame({
            "event_type": kind, "start_date": start.astype("datetime64[s]"),
            "end_date": np.asarray(end).astype("datetime64[D]").astype("datetime64[s]"),
            "service_type": service if service is not None else np.full(n, None, dtype=object),
            "support_reason": _reason(rng, pop, person),
            "cost": c if c is not None else np.full(n, np.nan), "_person": person}))
    df = pd.concat(frames, ignore_index=True)
    start = df["start_date"].to_numpy().astype("datetime64[D]")
    df["_month"] = np.where(start < p_start, mths[0].label,
                            np.datetime_as_string(start.astype("datetime64[M]"), unit="M"))
    council = np.array([d[2] for d in C.DISTRICTS])[
        pop.people["district_no"].to_numpy()[df["_person"].to_numpy()]]
    out = {}
    for code, feed_name in COUNCIL_FEEDS.items():
        part = df[council == code].sort_values("start_date", kind="stable").reset_index(drop=True)
        part.insert(0, "event_id", feed_name.split("_")[0].upper() + pd.Series(
            np.arange(len(part))).astype(str).str.zfill(8))
        out[feed_name] = part
    return out
