"""The synthetic residents: age, sex, where they live, their practice, long-term conditions,
frailty, opt-out, deaths, registrations and the direct identifiers providers hold about them.

Everything is vectorised over people (numpy / pandas); one row per person in `Population.people`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import constants as C
from . import identity
from .geography import Geography
from .rng import Streams

EFI_FROM_CONDITIONS = {  # eFI deficit -> conditions that make it present
    "atrial_fibrillation": ("af",), "cerebrovascular_disease": ("stroke",), "ckd": ("ckd",),
    "diabetes": ("diabetes",), "heart_failure": ("heart_failure",),
    "hypertension": ("hypertension",), "ihd": ("chd",), "memory_cognitive_problems": ("dementia",),
    "respiratory_disease": ("copd", "asthma"),
}
# Other eFI deficits and their weight (roughly their prevalence among 65+; assumption)
EFI_OTHER = {
    "activity_limitation": .08, "anaemia": .10, "arthritis": .30, "dizziness": .10,
    "dyspnoea": .10, "falls": .12, "foot_problems": .08, "fragility_fracture": .05,
    "hearing_impairment": .20, "heart_valve_disease": .05, "housebound": .04,
    "hypotension_syncope": .06, "mobility_transfer_problems": .06, "osteoporosis": .08,
    "parkinsonism_tremor": .03, "peptic_ulcer": .04, "peripheral_vascular_disease": .04,
    "polypharmacy": .35, "requirement_for_care": .04, "skin_ulcer": .03,
    "sleep_disturbance": .10, "social_vulnerability": .08, "thyroid_disease": .10,
    "urinary_incontinence": .08, "urinary_system_disease": .10, "visual_impairment": .12,
    "weight_loss_anorexia": .03,
}


@dataclass
class Population:
    """People (one row each) and the period they are simulated over."""
    people: pd.DataFrame
    geo: Geography
    start: pd.Timestamp
    end: pd.Timestamp                      # exclusive
    scale: float
    conditions: tuple[str, ...] = field(default_factory=tuple)
    deficits: tuple[str, ...] = field(default_factory=tuple)
    cache: dict = field(default_factory=dict)      # per-person text columns, built when needed

    @property
    def n(self) -> int:
        return len(self.people)

    def alive_mask(self, day: np.ndarray, person: np.ndarray) -> np.ndarray:
        """True where the person is alive on that day."""
        death = self.people["death_date"].to_numpy()[person]
        return np.isnat(death) | (day < death)


def _days(start: pd.Timestamp, offsets: np.ndarray) -> np.ndarray:
    """Dates (datetime64[s]) a whole number of days from start."""
    day0 = np.datetime64(start.date(), "D")
    return (day0 + np.asarray(offsets).astype("timedelta64[D]")).astype("datetime64[s]")


def weighted_sample_without_replacement(rng: np.random.Generator, weights: np.ndarray,
                                        k: int) -> np.ndarray:
    """k distinct indices drawn with probability proportional to weights (Efraimidis-Spirakis)."""
    k = min(k, int((weights > 0).sum()))
    keys = np.log(rng.random(weights.size)) / np.where(weights > 0, weights, np.nan)
    keys = np.nan_to_num(keys, nan=-np.inf)
    return np.sort(np.argpartition(-keys, k - 1)[:k]) if k > 0 else np.array([], dtype=int)


def _ages_sexes(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    shares = np.array([b[2] for b in C.AGE_BANDS])
    band = rng.choice(len(C.AGE_BANDS), n, p=shares / shares.sum())
    u = rng.random(n)
    lo = np.array([b[0] for b in C.AGE_BANDS])[band]
    hi = np.array([b[1] for b in C.AGE_BANDS])[band]
    span = hi - lo + 1
    # 65-84: falling linearly with age; 85+: exponential (mean ~89); younger: uniform
    tri = 1 - np.sqrt(1 - u)
    expo = np.minimum(-np.log(1 - u * 0.999) * 4.5, span - 1)
    age = lo + np.where(band == 2, np.floor(tri * span), np.where(band == 3, np.floor(expo),
                                                                  np.floor(u * span)))
    male = rng.random(n) < np.array(C.MALE_SHARE_BY_BAND)[band]
    sex = np.where(male, "M", "F").astype(object)
    sex[rng.random(n) < C.SEX_UNKNOWN_SHARE] = "U"
    return age.astype(int), sex


def _calibrate(score: np.ndarray, eligible: np.ndarray, denom: np.ndarray, target: float) -> float:
    """Intercept a so that sum(sigmoid(a + score) over eligible) / denom-size hits the target."""
    s = score[eligible]
    goal = target * denom.sum()
    lo, hi = -20.0, 10.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if (1 / (1 + np.exp(-(mid + s)))).sum() < goal:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _conditions(rng: np.random.Generator, p: pd.DataFrame, start: pd.Timestamp,
                days: int) -> list[str]:
    age = p["age"].to_numpy()
    z = p["frailty_z"].to_numpy()
    dep = (10 - p["imd_decile"].to_numpy()) / 9
    names = []
    for name, (prev, min_age, slope) in C.CONDITIONS.items():
        if name == "dementia":
            eligible = age >= 65
            denom = age >= 65
            target = C.DEMENTIA_SHARE_OF_65PLUS
        else:
            eligible = age >= min_age
            denom = np.ones_like(eligible) if name in C.WHOLE_LIST else eligible
            target = prev
        score = slope * (age - 50) / 10 + C.FRAILTY_LOADING * z + C.DEPRIVATION_LOADING * dep
        a = _calibrate(score, eligible, denom, target)
        prob = np.where(eligible, 1 / (1 + np.exp(-(a + score))), 0.0)
        has = rng.random(age.size) < prob
        p[f"c_{name}"] = has
        years_since = np.minimum(rng.exponential(6.0, age.size), np.maximum(age - min_age, 0) + 0.5)
        offset = np.where(rng.random(age.size) < C.NEW_DIAGNOSIS_SHARE,
                          rng.integers(0, max(days, 1), age.size), -np.rint(years_since * 365.25))
        p[f"d_{name}"] = pd.Series(_days(start, offset)).where(has)
        names.append(name)
    return names


def _frailty(rng: np.random.Generator, p: pd.DataFrame) -> list[str]:
    """eFI deficits: 65+ people get a deficit count in the DATA_SPEC frailty bands."""
    n = len(p)
    age = p["age"].to_numpy()
    old = age >= 65
    order_score = p["frailty_z"].to_numpy() + 0.05 * (age - 75) + rng.normal(0, 0.5, n)
    target = np.zeros(n, dtype=int)
    idx = np.flatnonzero(old)
    ranked = idx[np.argsort(-order_score[idx], kind="stable")]
    pos = 0
    for _band, share, lo, hi in reversed(C.FRAILTY_BANDS):          # severe first
        take = ranked[pos:pos + int(round(share * idx.size))]
        target[take] = rng.integers(lo, hi + 1, take.size)
        pos += take.size
    covered = np.zeros(n, dtype=int)
    for deficit, conds in EFI_FROM_CONDITIONS.items():
        present = np.zeros(n, dtype=bool)
        for c in conds:
            present |= p[f"c_{c}"].to_numpy()
        p[f"e_{deficit}"] = present
        covered += present
    other = list(EFI_OTHER)
    w = np.array([EFI_OTHER[d] for d in other])
    extra = np.where(old, np.clip(target - covered, 0, len(other)), 0)
    keys = np.log(w)[None, :] + rng.gumbel(size=(n, len(other)))
    ranks = np.argsort(np.argsort(-keys, axis=1), axis=1)
    chosen = ranks < extra[:, None]
    young = ~old & (age >= 18)
    chosen |= young[:, None] & (rng.random((n, len(other))) < w[None, :] * 0.15)
    for j, d in enumerate(other):
        p[f"e_{d}"] = chosen[:, j]
    return list(EFI_FROM_CONDITIONS) + other


def _deaths_and_moves(rng: np.random.Generator, p: pd.DataFrame, start: pd.Timestamp,
                      end: pd.Timestamp, scale_years: float) -> None:
    n = len(p)
    age = p["age"].to_numpy()
    z = p["frailty_z"].to_numpy()
    eol_score = np.exp(0.12 * (age - 80) + 1.2 * z) * (age >= 40)
    eol = weighted_sample_without_replacement(rng, eol_score, int(round(C.END_OF_LIFE_SHARE * n)))
    p["c_end_of_life"] = False
    p.loc[eol, "c_end_of_life"] = True
    p["d_end_of_life"] = pd.Series(_days(start, -rng.integers(7, 300, n))).where(
        p["c_end_of_life"])
    hazard = np.exp(0.09 * (age - 80) + 0.5 * z) * (1 + 30 * p["c_end_of_life"].to_numpy())
    n_deaths = int(round(C.DEATHS_PER_1000 / 1000 * n * scale_years))
    dead = weighted_sample_without_replacement(rng, hazard, n_deaths)
    days = (end - start).days
    death = pd.Series(pd.NaT, index=p.index, dtype="datetime64[s]")
    death.iloc[dead] = _days(start, rng.integers(0, days, dead.size))
    p["death_date"] = death
    u = rng.random(n)
    alive = death.isna().to_numpy()
    p["moved_away"] = alive & (u < C.MOVED_AWAY_PER_YEAR * scale_years)
    p["transferred"] = alive & ~p["moved_away"].to_numpy() & (
        u > 1 - C.TRANSFERS_PER_YEAR * scale_years)
    p["change_date"] = pd.Series(_days(start, rng.integers(1, days, n))).where(
        p["moved_away"] | p["transferred"])


def _maternity(rng: np.random.Generator, p: pd.DataFrame, start: pd.Timestamp) -> None:
    women = (p["sex"].to_numpy() == "F") & p["age"].between(18, 44).to_numpy()
    preg = women & (rng.random(len(p)) < C.MATERNITY_SHARE_OF_WOMEN_18_44)
    p["c_maternity"] = preg
    p["d_maternity"] = pd.Series(_days(start, rng.integers(0, 300, len(p)))).where(preg)


def build(streams: Streams, geo: Geography, scale: float, start: pd.Timestamp,
          end: pd.Timestamp) -> Population:
    """The residents at scale (1.0 = ~1.2 million), registered at the start of the period."""
    rng = streams.rng("population")
    n = max(50, int(round(C.POPULATION * scale)))
    age, sex = _ages_sexes(rng, n)
    lsoa_no = rng.choice(len(geo.lsoa), n, p=(w := geo.lsoa["weight"].to_numpy()) / w.sum())
    lsoa = geo.lsoa.iloc[lsoa_no]
    p = pd.DataFrame({"sex": sex, "age": age, "lsoa_no": lsoa_no,
                      "district_no": lsoa["district_no"].to_numpy(),
                      "imd_decile": lsoa["imd_decile"].to_numpy()})
    p["dob"] = _days(start, -(np.floor(age * 365.25) + rng.integers(0, 365, n)))
    # Postcode: one of the LSOA's postcodes
    pc_index = lsoa_no * C.POSTCODES_PER_LSOA + rng.integers(0, C.POSTCODES_PER_LSOA, n)
    p["postcode"] = geo.postcodes["postcode"].to_numpy()[pc_index]
    # Practice: one in the person's district, by list size
    practice = np.empty(n, dtype=int)
    for d, rows in p.groupby("district_no").indices.items():
        cand = np.flatnonzero(geo.practices["district_no"].to_numpy() == d)
        w = geo.practices["weight"].to_numpy()[cand]
        practice[rows] = cand[rng.choice(cand.size, rows.size, p=w / w.sum())]
    p["practice_no"] = practice
    p["supplier"] = geo.practices["supplier"].to_numpy()[practice]
    # Latent frailty: older and more deprived people are frailer on average
    p["frailty_z"] = rng.normal(0, 1, n) + 0.015 * (age - 50) + 0.08 * (5.5 - p["imd_decile"])
    conditions = _conditions(rng, p, start, (end - start).days)
    deficits = _frailty(rng, p)
    years = (end - start).days / 365.25
    _deaths_and_moves(rng, p, start, end, years)
    _maternity(rng, p, start)
    p["opt_out"] = rng.random(n) < C.OPT_OUT_SHARE
    # Registration with the current practice, and the previous one for transfers
    reg_years = np.minimum(rng.exponential(12, n), age + rng.random(n))
    p["reg_start"] = _days(start, -(np.rint(reg_years * 365.25) + 1))
    p["reg_start"] = p[["reg_start", "dob"]].max(axis=1)
    prev = practice.copy()
    moved = p["transferred"].to_numpy()
    same_district = geo.practices["district_no"].to_numpy()
    for d, rows in p[moved].groupby("district_no").indices.items():
        cand = np.flatnonzero(same_district == d)
        prev[np.flatnonzero(moved)[rows]] = cand[rng.integers(0, cand.size, rows.size)]
    p["prev_practice_no"] = np.where(moved, prev, -1)
    # Identifiers held by providers
    ids = streams.rng("identity")
    # Beyond the test range's ~909,000 valid numbers (scale > ~0.75), the people left without
    # one are those who use services least, so the least linkage is lost.
    p["n_conditions"] = p[[f"c_{c}" for c in C.CONDITIONS]].sum(axis=1)
    priority = (1 + p["n_conditions"].to_numpy()) * (1 + age / 50) * rng.random(n)
    nhs = np.empty(n, dtype=np.int64)
    nhs[np.argsort(-priority, kind="stable")] = identity.nhs_numbers(ids, n)
    p["nhs_number"] = nhs
    first, last = identity.names(ids, sex)
    p["forename"], p["surname"] = first.to_numpy(), last.to_numpy()
    p["address"] = identity.addresses(ids, n).to_numpy()
    p["phone"] = identity.phones(ids, n).to_numpy()
    for ns in ("guid", *identity.LOCAL_ID_STYLES):
        p[f"id_{ns}"] = identity.local_ids(ns, streams.rng("local-id", ns), n).to_numpy()
    p["propensity"] = rng.gamma(0.7, 1 / 0.7, n)            # heavy users: frequent attenders
    return Population(people=p, geo=geo, start=start, end=end, scale=scale,
                      conditions=tuple(conditions), deficits=tuple(deficits))


def use_weights(pop: Population, kind: str = "general") -> np.ndarray:
    """How much each person uses a service: older, sicker, frailer and more deprived use more.

    kind: general | urgent (A&E, ambulance, emergency admissions) | planned | community |
    mental_health | social_care | gp.
    """
    p = pop.people
    age = p["age"].to_numpy()
    z = p["frailty_z"].to_numpy()
    nc = p["n_conditions"].to_numpy()
    dep = (10 - p["imd_decile"].to_numpy()) / 9                 # 0 least .. 1 most deprived
    if kind == "urgent":
        base = np.where(age < 5, 1.6, np.where(age < 18, 0.7, np.where(age < 65, 0.8,
                        np.where(age < 80, 1.4, 2.6))))
        w = base * C.A_E_DEPRIVATION_RATIO ** dep * (1 + 0.25 * nc) * np.exp(0.3 * z)
    elif kind == "planned":
        w = (0.3 + np.clip(age, 0, 90) / 40) * (1 + 0.3 * nc)
    elif kind == "community":
        w = np.where(age >= 65, 1.7, 0.5) * (1 + 0.3 * nc) * np.exp(0.4 * z)
    elif kind == "mental_health":
        mh = (p["c_depression"].to_numpy() * 2 + p["c_smi"].to_numpy() * 12
              + p["c_anxiety"].to_numpy() * 2 + p["c_dementia"].to_numpy() * 6)
        w = (0.4 + mh) * (age >= 10) * (1 + 0.3 * dep)
    elif kind == "social_care":
        w = (np.where(age >= 65, 1 + (age - 65) / 5, 0.1) * (1 + 0.3 * nc) * np.exp(0.5 * z)
             * (1 + 8 * p["c_learning_disability"].to_numpy() + 4 * p["c_dementia"].to_numpy()))
    elif kind == "gp":
        w = (np.where(age < 5, 1.5, 1.0) + np.clip(age - 40, 0, 50) / 25) * (1 + 0.3 * nc) \
            * (1 + 0.2 * dep)
    else:
        w = (1 + np.clip(age, 0, 90) / 50) * (1 + 0.2 * nc)
    # Personal propensity (frequent users) and the older area's uplift
    w = w * p["propensity"].to_numpy() if "propensity" in p else w
    return w * np.where(age >= 65, C.OLDER_ACTIVITY_UPLIFT, 1.0)
