"""Urgent and acute care: ambulance incidents, A&E attendances, inpatient spells and the daily
bed state, linked (a conveyed incident arrives at A&E; an admitted attendance starts a spell;
the bed state counts the spells in hospital at midnight)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import constants as C
from .population import Population, use_weights
from .rng import Streams
from .timeline import Month, before_death, choose_index, label, late_labels, minutes, \
    monthly_count, pick_people, times_in

SITES = [s[0] for s in C.TRUST_SITES]
COMPLAINTS = np.array(["29857009", "267036007", "21522001", "1912002", "82271004", "386661006",
                       "161891005", "25064002", "271594007", "197480006", "419076005"])
AE_DIAGNOSES = np.array(["233604007", "68566005", "44465007", "263225007", "128045006",
                         "25374005", "195951007", "29857009", "22298006", "230690007",
                         "34014006"])
# Emergency primary diagnoses: ICD-10, HRG root, treatment function, weight
EMERGENCY_DX = [("J189", "DZ11", "340", 10), ("N390", "LA04", "300", 9), ("J440", "DZ65", "340", 6),
                ("R074", "EB12", "320", 10), ("S720", "HN12", "110", 4), ("L039", "JD07", "300", 5),
                ("I500", "EB03", "320", 4), ("I489", "EB07", "320", 4), ("I639", "AA35", "400", 3),
                ("A419", "WJ06", "300", 4), ("A099", "FD01", "300", 6)]
# Elective: ICD-10, OPCS-4, HRG root, treatment function, weight, day case share
ELECTIVE = [("H259", "C751", "BZ34", "130", 24, 0.99), ("M161", "W371", "HN12", "110", 4, 0.05),
            ("M171", "W401", "HN22", "110", 4, 0.05), ("Z121", "H221", "FE32", "301", 22, 0.98),
            ("K802", "J183", "GA10", "100", 6, 0.6), ("K409", "T201", "FF62", "100", 7, 0.8),
            ("N390", "M459", "LB15", "101", 12, 0.95), ("C509", "G451", "FE21", "301", 13, 0.97),
            ("O800", "R171", "NZ50", "501", 4, 0.0), ("F039", "X403", "LA08", "300", 4, 0.9)]
SECONDARY_ICD = {"diabetes": "E119", "hypertension": "I10X", "ckd": "N189", "af": "I489",
                 "dementia": "F039", "depression": "F329", "heart_failure": "I500",
                 "constipation": "K590", "end_of_life": "Z515"}


def _local_site(pop: Population, person: np.ndarray) -> np.ndarray:
    district = np.array([d[0] for d in C.DISTRICTS])[pop.people["district_no"].to_numpy()[person]]
    out = np.empty(person.size, dtype=object)
    for code, _name, served in C.TRUST_SITES:
        out[np.isin(district, served)] = code
    return out


def _lognormal(rng, median, sigma, k):
    return np.exp(rng.normal(np.log(median), sigma, k))


def ambulance(streams: Streams, pop: Population, month: Month, last: str) -> pd.DataFrame:
    rng = streams.rng("ambulance", month.label)
    k = monthly_count(C.VOLUMES["ambulance_incident"], pop.scale, month, seasonal=True)
    person = pick_people(rng, use_weights(pop, "urgent"), k, pop, month.start)
    call = before_death(pop, person, times_in(rng, month, k), rng, month.start)
    cats = np.array(list(C.AMBULANCE_CATEGORY_SHARES))
    cat = rng.choice(cats, k, p=list(C.AMBULANCE_CATEGORY_SHARES.values()))
    median = {"C1": 7.5, "C2": 30, "C3": 95, "C4": 150}
    sigma = {"C1": 0.4, "C2": 0.75, "C3": 0.85, "C4": 0.85}
    response = np.exp(rng.normal(0, 1, k) * np.vectorize(sigma.get)(cat)
                      + np.log(np.vectorize(median.get)(cat)))
    outs = np.array(list(C.AMBULANCE_OUTCOME_SHARES))
    outcome = rng.choice(outs, k, p=list(C.AMBULANCE_OUTCOME_SHARES.values()))
    outcome[(cat == "C1") & (outcome == "hear_and_treat")] = "conveyed_ed"
    attended = outcome != "hear_and_treat"
    first = np.where(attended, call + minutes(response), np.datetime64("NaT"))
    stop = np.where(attended, first, call + minutes(_lognormal(rng, 18, 0.5, k)))
    conveyed = outcome == "conveyed_ed"
    at_hosp = np.where(conveyed, first + minutes(_lognormal(rng, 40, 0.4, k)
                                                 + _lognormal(rng, 18, 0.5, k)),
                       np.datetime64("NaT"))
    handover = np.where(conveyed, at_hosp + minutes(_lognormal(rng, 19, 0.75, k)),
                        np.datetime64("NaT"))
    serial = np.arange(k) + month.index * 10_000_000
    df = pd.DataFrame({
        "incident_id": "CAD" + pd.Series(serial).astype(str).str.zfill(9),
        "call_connect_at": call, "category": cat, "first_arrival_at": first,
        "clock_stop_at": stop, "outcome": outcome,
        "destination_site_code": np.where(conveyed, _local_site(pop, person), None),
        "hospital_arrival_at": at_hosp, "handover_at": handover, "_person": person,
        "_nhs_known": rng.random(k) >= C.NHS_UNKNOWN_AT_SCENE,
    })
    df["_month"], df["_late"] = late_labels(rng, call, last)
    return df


def ae(streams: Streams, pop: Population, month: Month, last: str, amb: pd.DataFrame
       ) -> pd.DataFrame:
    """A&E attendances of the month; conveyed ambulance incidents arrive as type 1."""
    rng = streams.rng("ae", month.label)
    total = monthly_count(C.VOLUMES["ae_attendance"], pop.scale, month, seasonal=True)
    conv = amb[(amb["outcome"] == "conveyed_ed")
               & (label(amb["hospital_arrival_at"].to_numpy()) == month.label)]
    n_amb = min(len(conv), total)
    conv = conv.iloc[:n_amb]
    n_walk = total - n_amb
    n_type1_walk = max(0, int(round(C.AE_TYPE1_SHARE * total)) - n_amb)
    w = use_weights(pop, "urgent")
    person = np.concatenate([conv["_person"].to_numpy(),
                             pick_people(rng, w, n_walk, pop, month.start)])
    arrival = np.concatenate([conv["hospital_arrival_at"].to_numpy().astype("datetime64[s]"),
                              before_death(pop, person[n_amb:], times_in(rng, month, n_walk),
                                           rng, month.start)])
    k = total
    type1 = np.zeros(k, bool)
    type1[:n_amb + n_type1_walk] = True
    site = _local_site(pop, person)
    miu = ~type1 & (rng.random(k) < 0.1)
    site[miu] = C.MIU_SITE[0]
    age = pop.people["age"].to_numpy()[person]
    p_admit = np.clip(0.12 + 0.004 * (age - 40) + 0.18 * (np.arange(k) < n_amb), 0.03, 0.7)
    admitted = type1 & (rng.random(k) < p_admit)
    dur = np.where(admitted, _lognormal(rng, 300, 0.7, k),
                   np.where(type1, _lognormal(rng, 170, 0.5, k), _lognormal(rng, 75, 0.6, k)))
    dur = np.maximum(dur, 10)
    depart = arrival + minutes(dur)
    assess = arrival + minutes(np.minimum(_lognormal(rng, 12, 0.7, k), dur * 0.2))
    seen = arrival + minutes(dur * rng.uniform(0.25, 0.6, k))
    dta = np.where(admitted, seen + minutes(dur * rng.uniform(0.05, 0.3, k)), np.datetime64("NaT"))
    ready = np.where(~admitted & (rng.random(k) < 0.5),
                     depart - minutes(rng.uniform(0, 20, k)), np.datetime64("NaT"))
    ready = np.where(~np.isnat(ready) & (ready < seen), seen, ready)
    acuity = np.where(type1, np.where(np.arange(k) < n_amb, rng.integers(1, 4, k),
                                      rng.integers(2, 5, k)), rng.integers(4, 6, k))
    dest = np.where(admitted, "admitted", rng.choice(["home", "transferred", "other"], k,
                                                     p=[0.92, 0.03, 0.05]))
    serial = np.arange(k) + month.index * 10_000_000
    df = pd.DataFrame({
        "attendance_id": "AE" + pd.Series(serial).astype(str).str.zfill(9),
        "site_code": site, "department_type": np.where(type1, "01", "03"),
        "arrival_mode": np.where(np.arange(k) < n_amb, "ambulance",
                                 rng.choice(["walk_in", "other"], k, p=[0.96, 0.04])),
        "arrival_at": arrival, "initial_assessment_at": assess, "seen_at": seen,
        "decision_to_admit_at": dta, "clinically_ready_at": ready, "departure_at": depart,
        "acuity": acuity, "chief_complaint": rng.choice(COMPLAINTS, k),
        "diagnosis": rng.choice(AE_DIAGNOSES, k), "discharge_destination": dest,
        "ambulance_incident_id": np.concatenate([conv["incident_id"].to_numpy(),
                                                 np.full(n_walk, None, dtype=object)]),
        "_person": person,
    })
    df["_month"], df["_late"] = late_labels(rng, arrival, last)
    return df


def _secondary_icd(pop: Population, person: np.ndarray, rng) -> dict[str, np.ndarray]:
    """DIAG_02..DIAG_06 from the person's long-term conditions (in a fixed order)."""
    k = person.size
    cols = {f"DIAG_{i:02d}": np.full(k, None, dtype=object) for i in range(2, 7)}
    filled = np.zeros(k, dtype=int)
    for cond, icd in SECONDARY_ICD.items():
        has = pop.people[f"c_{cond}"].to_numpy()[person] & (filled < 5)
        for slot in range(5):
            at = has & (filled == slot)
            cols[f"DIAG_{slot + 2:02d}"][at] = icd
        filled += has
    return cols


def spells(streams: Streams, pop: Population, mths: list[Month], ae_admits: pd.DataFrame,
           rtt_admits: pd.DataFrame) -> pd.DataFrame:
    """Emergency and elective spells over the period (and a warm-up before it)."""
    rng = streams.rng("apc")
    w = use_weights(pop, "urgent")
    start = np.datetime64(pop.start.date(), "s")
    frames = []
    # Emergency: from A&E, plus direct admissions to reach the yearly volume
    n_year = sum(monthly_count(C.VOLUMES["emergency_admission"], pop.scale, m, True) for m in mths)
    n_direct = max(0, n_year - len(ae_admits))
    warm = int(round(C.VOLUMES["emergency_admission"] * pop.scale * 60 / 365.25))
    k_dir = n_direct + warm
    span = (pop.end - pop.start).days * 86400
    offs = np.concatenate([rng.integers(0, span, n_direct), rng.integers(-60 * 86400, 0, warm)])
    direct_person = pick_people(rng, w, k_dir)
    direct_at = before_death(pop, direct_person, start + offs.astype("timedelta64[s]"), rng)
    person = np.concatenate([ae_admits["_person"].to_numpy(), direct_person])
    admit = np.concatenate([ae_admits["departure_at"].to_numpy().astype("datetime64[s]"),
                            direct_at])
    k = person.size
    dx = choose_index(rng, [d[3] for d in EMERGENCY_DX], k)
    age = pop.people["age"].to_numpy()[person]
    los = np.where(rng.random(k) < 0.2, 0, np.ceil(_lognormal(rng, 3, 1.0, k)
                                                  * np.clip(1 + (age - 60) / 60, 0.5, 2)))
    method = np.concatenate([np.full(len(ae_admits), "21"),
                             rng.choice(["22", "23", "28"], k_dir, p=[0.7, 0.2, 0.1])])
    frames.append(pd.DataFrame({"person": person, "admit": admit, "los": los, "method": method,
                                "cls": "1", "icd": np.array([d[0] for d in EMERGENCY_DX])[dx],
                                "hrg": np.array([d[1] for d in EMERGENCY_DX])[dx],
                                "tfc": np.array([d[2] for d in EMERGENCY_DX])[dx],
                                "opcs": np.where(rng.random(k) < 0.3,
                                                 rng.choice(["U051", "Y981", "X403"], k), None)}))
    # Elective: admitted RTT clock stops, plus other planned care to reach the volume
    n_el = sum(monthly_count(C.VOLUMES["elective_admission"], pop.scale, m) for m in mths)
    rtt = rtt_admits.iloc[:n_el]
    k_el = n_el - len(rtt)
    el_person = np.concatenate([rtt["_person"].to_numpy(),
                                pick_people(rng, use_weights(pop, "planned"), k_el)])
    el_day = np.concatenate([rtt["clock_stop_date"].to_numpy().astype("datetime64[s]"),
                             start + (rng.integers(0, span // 86400, k_el) * 86400
                                      ).astype("timedelta64[s]")])
    proc = choose_index(rng, [e[4] for e in ELECTIVE], el_person.size)
    day_case = rng.random(el_person.size) < np.array([e[5] for e in ELECTIVE])[proc]
    el_at = before_death(pop, el_person, el_day + minutes(rng.uniform(7 * 60, 14 * 60,
                                                                      el_person.size)), rng)
    tfc = np.array([e[3] for e in ELECTIVE])[proc]
    if len(rtt):
        tfc[:len(rtt)] = rtt["treatment_function"].to_numpy()
    frames.append(pd.DataFrame({
        "person": el_person, "admit": el_at,
        "los": np.where(day_case, 0, np.ceil(_lognormal(rng, 2, 0.6, el_person.size))),
        "method": rng.choice(["11", "12", "13"], el_person.size, p=[0.7, 0.2, 0.1]),
        "cls": np.where(day_case, "2", "1"), "icd": np.array([e[0] for e in ELECTIVE])[proc],
        "hrg": np.array([e[2] for e in ELECTIVE])[proc], "tfc": tfc,
        "opcs": np.array([e[1] for e in ELECTIVE])[proc]}))
    s = pd.concat(frames, ignore_index=True)
    k = len(s)
    admit_day = s["admit"].to_numpy().astype("datetime64[D]")
    disch_day = admit_day + s["los"].to_numpy().astype("int64").astype("timedelta64[D]")
    hour = np.where(s["los"].to_numpy() == 0, 0, 10 * 3600) + rng.integers(0, 8 * 3600, k)
    disch = disch_day.astype("datetime64[s]") + hour.astype("timedelta64[s]")
    disch = np.maximum(disch, s["admit"].to_numpy() + np.timedelta64(3600, "s"))
    death = pop.people["death_date"].to_numpy().astype("datetime64[s]")[s["person"].to_numpy()]
    died = ~np.isnat(death) & (death >= admit_day.astype("datetime64[s]")) & (
        death <= disch) & (s["method"].str.startswith("2").to_numpy())
    disch = np.where(died, np.maximum(death + np.timedelta64(6 * 3600, "s"),
                                      s["admit"].to_numpy() + np.timedelta64(3600, "s")), disch)
    age = pop.people["age"].to_numpy()[s["person"].to_numpy()]
    los_days = (disch.astype("datetime64[D]") - admit_day).astype(int)
    delayed = (los_days >= 2) & ~died & (s["cls"].to_numpy() == "1")
    pathway = np.where(delayed, rng.choice([0, 1, 2, 3], k, p=[0.6, 0.25, 0.09, 0.06]), -1)
    delay = np.where(pathway > 0, np.minimum(np.ceil(_lognormal(rng, 3, 0.8, k)), los_days - 1),
                     np.where(pathway == 0, np.minimum(rng.integers(0, 2, k), los_days - 1), 0))
    ready = np.where(delayed, (disch.astype("datetime64[D]") - delay.astype("timedelta64[D]")
                               ).astype("datetime64[s]"), np.datetime64("NaT"))
    carehome = (pathway == 3) | ((age >= 85) & (rng.random(k) < 0.05) & (pathway >= 0))
    diag = _secondary_icd(pop, s["person"].to_numpy(), rng)
    out = pd.DataFrame({
        "spell_id": "S" + pd.Series(np.arange(k)).astype(str).str.zfill(9),
        "site_code": _local_site(pop, s["person"].to_numpy()),
        "admission_at": s["admit"].to_numpy(), "discharge_at": disch,
        "admission_method": s["method"].to_numpy(),
        "admission_source": np.where(s["method"].str.startswith("2").to_numpy(), "19", "19"),
        "patient_class": s["cls"].to_numpy(), "treatment_function": s["tfc"].to_numpy(),
        "primary_diagnosis": s["icd"].to_numpy(), "primary_procedure": s["opcs"].to_numpy(),
        "hrg": s["hrg"].to_numpy() + rng.choice(list("ABCDEF"), k),
        "discharge_method": np.where(died, "4", "1"),
        "discharge_destination": np.where(died, "79", np.where(carehome, "54", "19")),
        "discharge_ready_date": ready,
        "discharge_pathway": pd.Series(pathway).where(pathway >= 0).astype("Int64"),
        "_person": s["person"].to_numpy(),
        **diag,
    })
    # Procedures: the main one in position 1, on the admission day; positions 2-4 left empty
    none = pd.Series([None] * k, dtype=object)
    nat = pd.Series(np.full(k, np.datetime64("NaT"), dtype="datetime64[s]"))
    out["OPDATE_01"] = pd.Series(admit_day.astype("datetime64[s]")).where(
        out["primary_procedure"].notna())
    for i in (2, 3, 4):
        out[f"OPER_{i:02d}"], out[f"OPDATE_{i:02d}"] = none, nat
    return out


def file_spells(spells_df: pd.DataFrame, pop: Population) -> pd.DataFrame:
    """Spells are sent in the month they end; those still in hospital are not yet sent."""
    end = np.datetime64(pop.end.date(), "s")
    start = np.datetime64(pop.start.date(), "s")
    d = spells_df["discharge_at"].to_numpy()
    sent = spells_df[(d >= start) & (d < end)].copy()
    sent["_month"] = label(sent["discharge_at"].to_numpy())
    return sent


def _base_beds(occupied: np.ndarray) -> int:
    """Base general and acute beds so that occupied / (base + escalation) is nearest the
    target occupancy, escalation beds opening only when the base is full."""
    if not occupied.size or occupied.max() == 0:
        return 0
    base = np.arange(1, 2 * int(occupied.max()) + 2)
    available = np.maximum(base[:, None], occupied[None, :]).sum(axis=1)
    return int(base[np.argmin(np.abs(occupied.sum() / available - C.BED_OCCUPANCY))])


def bed_state(pop: Population, spells_df: pd.DataFrame) -> pd.DataFrame:
    """Daily general and acute beds per site, counted from ordinary spells at midnight."""
    day0 = np.datetime64(pop.start.date(), "D")
    n_days = (pop.end - pop.start).days
    ordinary = spells_df[spells_df["patient_class"] == "1"]
    a = ordinary["admission_at"].to_numpy().astype("datetime64[D]")
    d = ordinary["discharge_at"].to_numpy().astype("datetime64[D]")
    r = ordinary["discharge_ready_date"].to_numpy().astype("datetime64[D]")
    rows = []
    for code in SITES:
        at = (ordinary["site_code"] == code).to_numpy()
        # in a bed at midnight ending day t: admitted on or before t, discharged after t
        first = np.clip((a[at] - day0).astype(int), 0, n_days)
        last = np.clip((d[at] - day0).astype(int), 0, n_days)       # exclusive
        occ = np.zeros(n_days + 1, dtype=np.int64)
        np.add.at(occ, first, 1)
        np.add.at(occ, last, -1)
        occupied = np.cumsum(occ)[:n_days]
        rr = r[at]
        has = ~np.isnat(rr)
        nstart = np.clip((rr[has] - day0).astype(int), 0, n_days)
        nend = last[has]
        ncr = np.zeros(n_days + 1, dtype=np.int64)
        np.add.at(ncr, nstart, 1)
        np.add.at(ncr, nend, -1)
        nctr = np.maximum(np.cumsum(ncr)[:n_days], 0)
        base = _base_beds(occupied)
        escalation = np.maximum(0, occupied - base)          # opened when the base is full
        rows.append(pd.DataFrame({
            "site_code": code,
            "snapshot_date": (day0 + np.arange(n_days).astype("timedelta64[D]")
                              ).astype("datetime64[s]"),
            "ga_beds_available": base + escalation, "ga_beds_occupied": occupied,
            "escalation_beds": escalation, "no_criteria_to_reside": np.minimum(nctr, occupied),
            "_person": -1}))
    beds = pd.concat(rows, ignore_index=True)
    beds["_month"] = label(beds["snapshot_date"].to_numpy())
    return beds
