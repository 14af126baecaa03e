"""General practice: registrations (snapshot with demographics), coded events (the recorded
history in the first month, then routine monitoring and consultations), repeat medication issues
and appointments, split by the practice's GP system supplier (A writes CSV, B JSON lines)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import codelists
from . import constants as C
from .population import Population, use_weights
from .rng import Streams
from .timeline import OFFICE, Month, before_death, monthly_count, pick_people, times_in

SUPPLIER_FEEDS = {"A": "gpa", "B": "gpb"}
# Repeat medicines by condition (dm+d codes from the polypharmacy codelist)
DRUGS = {
    "diabetes": ("325278007",), "hypertension": ("319283006", "318900005"),
    "chd": ("320029008", "319775004", "318590006"), "af": ("703907005", "318590006"),
    "heart_failure": ("317972000", "318590006", "318900005"),
    "copd": ("320757001", "320151009"), "asthma": ("320151009",),
    "depression": ("321958004",), "dementia": ("321533009",), "smi": ("321849001",),
    "ckd": ("318135002",), "painful_condition": ("322503009",), "constipation": ("322280009",),
    "e_thyroid_disease": ("315282009",), "e_osteoporosis": ("326095009",),
    "e_peptic_ulcer": ("317335000",),
}
FILLERS = ("322236009", "317335000", "320029008", "317919004", "323509004", "317249006",
           "319775004", "321190003")
INHALERS = ("320757001", "320151009")
ACUTE_CODES = ("68566005", "161891005", "25064002", "386661006", "267036007", "21522001",
               "197480006", "193462001", "404640003", "14760008")
ROUTINE = {  # code -> (who, share a month, value: (mean, sd, lo, hi) or None)
    "271649006": ("hypertension", 1 / 6, (138, 14, 80, 230)),
    "271650006": ("hypertension", 1 / 6, (82, 9, 40, 140)),
    "999791000000106": ("diabetes", 1 / 6, (56, 12, 25, 150)),
    "60621009": ("adult", 1 / 24, (28, 5, 14, 60)),
    "1011481000000105": ("ckd", 1 / 6, (45, 12, 5, 90)),
    "86198006": ("flu", 0.23, None),
    "182836005": ("medicated", 1 / 12, None),
}


def _snomed(name: str) -> np.ndarray:
    return np.array(codelists.codes(name, "snomed"))


def _condition_codes(condition: str) -> np.ndarray:
    """SNOMED CT codes recorded for a condition (its codelist, or its CMS codelist)."""
    if condition == "anxiety":
        return np.array(["197480006"])
    if condition == "maternity":
        return np.array(["77386006"])
    return _snomed(condition if condition in codelists.names() else f"cms_{condition}")


def registrations(pop: Population) -> pd.DataFrame:
    """Current and ended registrations as at the end of the period, with person columns."""
    p = pop.people
    n = len(p)
    person = np.arange(n)
    trans = p["transferred"].to_numpy()
    change = p["change_date"].to_numpy().astype("datetime64[s]")
    start = np.where(trans, change, p["reg_start"].to_numpy().astype("datetime64[s]"))
    death = p["death_date"].to_numpy().astype("datetime64[s]")
    end = np.where(~np.isnat(death), death,
                   np.where(p["moved_away"].to_numpy(), change, np.datetime64("NaT")))
    cur = pd.DataFrame({"_person": person, "_practice": p["practice_no"].to_numpy(),
                        "start_date": start, "end_date": end})
    prev = np.flatnonzero(trans)
    old = pd.DataFrame({"_person": prev, "_practice": p["prev_practice_no"].to_numpy()[prev],
                        "start_date": p["reg_start"].to_numpy().astype("datetime64[s]")[prev],
                        "end_date": change[prev] - np.timedelta64(1, "D")})
    old["start_date"] = np.minimum(old["start_date"], old["end_date"])
    reg = pd.concat([cur, old], ignore_index=True)
    who = reg["_person"].to_numpy()
    reg["sex"] = p["sex"].to_numpy()[who]
    reg["death_date"] = death[who]
    reg["opt_out"] = p["opt_out"].to_numpy()[who]
    return reg


def split_by_practice(pop: Population, df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Add the practice code (`_practice`, else the person's current practice) and split the
    rows by the practice's GP system supplier: {"gpa": ..., "gpb": ...}."""
    if "_practice" in df:
        practice = df["_practice"].to_numpy()
    else:
        practice = pop.people["practice_no"].to_numpy()[df["_person"].to_numpy()]
    df = df.copy()
    df["practice_code"] = pop.geo.practices["practice_code"].to_numpy()[practice]
    supplier = pop.geo.practices["supplier"].to_numpy()[practice]
    return {SUPPLIER_FEEDS[s]: df[supplier == s].reset_index(drop=True) for s in SUPPLIER_FEEDS}


def history(streams: Streams, pop: Population) -> pd.DataFrame:
    """The coded history every patient's record carries when the first extract is taken."""
    rng = streams.rng("gp-history")
    p = pop.people
    frames = []
    names = list(pop.conditions) + ["end_of_life", "maternity"]
    for cond in names:
        has = p[f"c_{cond}"].to_numpy()
        when = p[f"d_{cond}"].to_numpy().astype("datetime64[s]")
        keep = has & (when < np.datetime64(pop.start.date(), "s"))
        who = np.flatnonzero(keep)
        codes = _condition_codes(cond)
        frames.append(pd.DataFrame({"_person": who, "event_date": when[who],
                                    "snomed_code": codes[rng.integers(0, codes.size, who.size)]}))
    for d in pop.deficits:
        if f"c_{d}" in p or d in ("polypharmacy",):
            continue
        col = p[f"e_{d}"].to_numpy()
        from_condition = d in ("atrial_fibrillation", "cerebrovascular_disease", "ckd", "diabetes",
                               "heart_failure", "hypertension", "ihd", "memory_cognitive_problems",
                               "respiratory_disease")
        if from_condition:
            continue
        who = np.flatnonzero(col)
        codes = _snomed(f"efi_{d}")
        days = rng.integers(30, 3 * 365, who.size).astype("timedelta64[D]")
        frames.append(pd.DataFrame({
            "_person": who,
            "event_date": (np.datetime64(pop.start.date(), "D") - days).astype("datetime64[s]"),
            "snomed_code": codes[rng.integers(0, codes.size, who.size)]}))
    h = pd.concat(frames, ignore_index=True)
    dob = p["dob"].to_numpy().astype("datetime64[s]")[h["_person"].to_numpy()]
    h["event_date"] = np.maximum(h["event_date"].to_numpy(), dob)
    h["value"] = np.nan
    return h


def events(streams: Streams, pop: Population, month: Month, appts: pd.DataFrame) -> pd.DataFrame:
    """Routine monitoring and consultation codes in the month."""
    rng = streams.rng("gp-events", month.label)
    p = pop.people
    age = p["age"].to_numpy()
    alive = p["death_date"].isna().to_numpy() | (
        p["death_date"].to_numpy() > np.datetime64(month.start.date()))
    groups = {"adult": age >= 18, "flu": (age >= 65) & (month.start.month in (10, 11, 12)),
              "medicated": p["n_conditions"].to_numpy() > 0}
    frames = []
    for code, (who_name, share, val) in ROUTINE.items():
        who = groups.get(who_name)
        if who is None:
            who = p[f"c_{who_name}"].to_numpy()
        pick = np.flatnonzero(who & alive & (rng.random(len(p)) < share))
        value = (np.clip(np.round(rng.normal(val[0], val[1], pick.size)), val[2], val[3])
                 if val else np.full(pick.size, np.nan))
        frames.append(pd.DataFrame({"_person": pick, "snomed_code": code, "value": value}))
    routine = pd.concat(frames, ignore_index=True)
    day = (np.datetime64(month.start.date(), "D")
           + rng.integers(0, month.days, len(routine)).astype("timedelta64[D]"))
    routine["event_date"] = before_death(pop, routine["_person"].to_numpy(),
                                         day.astype("datetime64[s]"), rng, month.start)
    # Consultations: most attended appointments with a clinician are coded
    att = appts[(appts["status"] == "attended") & (appts["staff_type"] != "admin")]
    coded = att[rng.random(len(att)) < 0.6]
    consult = pd.DataFrame({"_person": coded["_person"].to_numpy(),
                            "snomed_code": rng.choice(ACUTE_CODES, len(coded)),
                            "value": np.nan,
                            "event_date": coded["start_at"].to_numpy().astype("datetime64[D]")
                            .astype("datetime64[s]")})
    # New diagnoses recorded this month (long-term conditions first coded now, pregnancy)
    new = [routine, consult]
    for cond in (*pop.conditions, "maternity"):
        when = p[f"d_{cond}"].to_numpy().astype("datetime64[s]")
        death = p["death_date"].to_numpy().astype("datetime64[s]")
        due = (when.astype("datetime64[M]") == np.datetime64(month.label)) & (
            np.isnat(death) | (when < death))
        who = np.flatnonzero(due)
        codes = _condition_codes(cond)
        new.append(pd.DataFrame({"_person": who, "value": np.nan, "event_date": when[who],
                                 "snomed_code": codes[rng.integers(0, codes.size, who.size)]}))
    return pd.concat(new, ignore_index=True)


def repeat_medicines(streams: Streams, pop: Population) -> pd.DataFrame:
    """(person, dm+d code) pairs: medicines of each condition; polypharmacy tops up to 5+."""
    rng = streams.rng("gp-medicines")
    p = pop.people
    frames = []
    for cond, drugs in DRUGS.items():
        col = cond if cond.startswith("e_") else f"c_{cond}"
        has = p[col].to_numpy()
        if cond == "depression":
            has = has & (rng.random(len(p)) < 0.5)
        who = np.flatnonzero(has)
        for d in drugs:
            frames.append(pd.DataFrame({"_person": who, "dmd_code": d}))
    pairs = pd.concat(frames, ignore_index=True).drop_duplicates(ignore_index=True)
    poly = p["e_polypharmacy"].to_numpy()
    old = p["age"].to_numpy() >= 65
    for _ in range(3):
        count = np.bincount(pairs["_person"].to_numpy(), minlength=len(p))
        want = np.where(poly, 5 + (np.arange(len(p)) % 4), 0)
        need = np.clip(want - count, 0, None)
        if not need.any():
            break
        who = np.repeat(np.arange(len(p)), need)
        j = np.arange(who.size) - np.repeat(np.cumsum(need) - need, need)
        fill = np.array(FILLERS)[(who * 7 + j + _) % len(FILLERS)]
        pairs = pd.concat([pairs, pd.DataFrame({"_person": who, "dmd_code": fill})]
                          ).drop_duplicates(ignore_index=True)
    # People 65+ who are not on the polypharmacy list keep at most four medicines
    pairs = pairs.sort_values(["_person", "dmd_code"], kind="stable", ignore_index=True)
    rank = pairs.groupby("_person").cumcount().to_numpy()
    who = pairs["_person"].to_numpy()
    pairs = pairs[~(old[who] & ~poly[who] & (rank >= 4))].reset_index(drop=True)
    pairs["_phase"] = rng.integers(0, C.REPEAT_ISSUE_DAYS, len(pairs))
    return pairs


def medications(pop: Population, pairs: pd.DataFrame, month: Month) -> pd.DataFrame:
    """Issues in the month: each repeat medicine every REPEAT_ISSUE_DAYS from its phase."""
    offset = (month.start - pop.start).days
    first = (pairs["_phase"].to_numpy() - offset) % C.REPEAT_ISSUE_DAYS
    due = first < month.days
    issue = (np.datetime64(month.start.date(), "D") + first[due].astype("timedelta64[D]")
             ).astype("datetime64[s]")
    person = pairs["_person"].to_numpy()[due]
    alive = pop.alive_mask(issue, person)
    drug = pairs["dmd_code"].to_numpy()[due]
    return pd.DataFrame({"_person": person[alive], "issue_date": issue[alive],
                         "dmd_code": drug[alive],
                         "quantity": np.where(np.isin(drug[alive], INHALERS), 1.0, 56.0)})


def appointments(streams: Streams, pop: Population, month: Month) -> pd.DataFrame:
    rng = streams.rng("gp-appointments", month.label)
    k = monthly_count(C.VOLUMES["gp_appointment"], pop.scale, month)
    person = pick_people(rng, use_weights(pop, "gp"), k, pop, month.start)
    start = before_death(pop, person, times_in(rng, month, k, OFFICE, weekdays_only=True), rng,
                         month.start)
    start = start - (start.astype("int64") % 600).astype("timedelta64[s]")   # 10-minute slots
    same_day = rng.random(k) < 0.4
    lead_h = np.where(same_day, rng.uniform(0.5, 6, k), rng.lognormal(np.log(24 * 5), 0.9, k))
    booked = start - (lead_h * 3600).astype("int64").astype("timedelta64[s]")
    age = pop.people["age"].to_numpy()[person]
    home = rng.random(k) < np.where(age >= 85, 0.08, 0.005)
    mode = np.where(home, "home_visit", rng.choice(["face_to_face", "telephone", "video"], k,
                                                   p=[0.66, 0.33, 0.01]))
    return pd.DataFrame({
        "_person": person, "booked_at": booked, "start_at": start,
        "status": rng.choice(["attended", "dna", "cancelled"], k, p=[0.91, 0.04, 0.05]),
        "mode": mode,
        "staff_type": rng.choice(["gp", "nurse", "other_clinical", "admin"], k,
                                 p=[0.45, 0.22, 0.28, 0.05])})

