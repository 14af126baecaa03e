"""Cambridge Multimorbidity Score: the sum of the general outcome weights of the conditions a
person has (DATA_SPEC; Payne et al. 2020). Cancer counts for 5 years (5 x 365 days); treated
constipation and painful condition need 4+ records (issues) in the last 12 months."""
from __future__ import annotations

import datetime as dt

import pytest

from agora.phm import definitions, rebuild
from phm_store import codelist, make_store, pid

AS_OF = dt.date(2026, 3, 31)
# The weights exactly as DATA_SPEC lists them.
WEIGHTS = {
    "alcohol": 0.65, "anxiety_depression": 0.50, "atrial_fibrillation": 1.34, "cancer": 1.53,
    "ckd": 0.53, "connective_tissue": 0.43, "copd": 1.46, "chd": 0.49, "dementia": 2.50,
    "diabetes": 0.75, "epilepsy": 0.92, "hearing_loss": 0.09, "heart_failure": 1.18, "ibd": 0.21,
    "psychosis": 0.64, "stroke": 0.80, "asthma": 0.19, "hypertension": 0.08,
    "constipation": 1.12, "painful_condition": 0.92,
}
CODE = {name: f"{7000000 + i}" for i, name in enumerate(WEIGHTS)}
LAXATIVE = "810001"


def test_weights_are_data_spec_general_outcome_weights():
    assert {r.name: r.weight for r in definitions.CMS_CONDITIONS} == WEIGHTS


def event(person, condition, on=dt.date(2022, 5, 1)):
    return {"person_id": person, "event_date": on, "snomed_code": CODE[condition]}


def laxatives(person, dates):
    return [{"person_id": person, "issue_date": d, "dmd_code": LAXATIVE} for d in dates]


@pytest.fixture(scope="module")
def cms(tmp_path_factory):
    names = ["three", "all", "none", "cancer_recent", "cancer_old", "lax4", "lax3", "lax4_old",
             "twice"]
    P = {n: pid(i) for i, n in enumerate(names)}
    recent = [dt.date(2025, 5, 1), dt.date(2025, 8, 1), dt.date(2025, 11, 1), dt.date(2026, 2, 1)]
    events = ([event(P["three"], c) for c in ("alcohol", "dementia", "hypertension")]
              + [event(P["all"], c) for c in WEIGHTS
                 if c not in ("constipation", "painful_condition")]
              + [event(P["all"], "painful_condition", d) for d in recent]
              + [event(P["cancer_recent"], "cancer", dt.date(2021, 4, 2))]     # 1824 days before
              + [event(P["cancer_old"], "cancer", dt.date(2021, 4, 1))]        # 1825 days before
              + [event(P["twice"], "diabetes"), event(P["twice"], "diabetes", dt.date(2023, 1, 1))])
    meds = (laxatives(P["all"], recent) + laxatives(P["lax4"], recent)
            + laxatives(P["lax3"], recent[1:])
            + laxatives(P["lax4_old"], [dt.date(2025, 3, 31)] + recent[1:]))
    lists = [r for name in WEIGHTS for r in codelist(f"cms_{name}", "snomed", CODE[name])]
    lists += codelist("cms_constipation", "dmd", LAXATIVE)
    con = make_store(tmp_path_factory.mktemp("cms") / "store.duckdb",
                     person=[{"person_id": p, "birth_month": dt.date(1950, 1, 1)}
                             for p in P.values()],
                     gp_event=events, gp_medication=meds, ref_codelist=lists)
    rebuild(con, as_of=AS_OF)
    by_id = dict(con.execute("SELECT person_id, cms FROM person_risk").fetchall())
    return {n: by_id[p] for n, p in P.items()}


@pytest.mark.parametrize("person, expected", [
    ("three", 3.23),          # alcohol 0.65 + dementia 2.50 + hypertension 0.08
    ("all", 16.33),           # every weight in DATA_SPEC added by hand
    ("none", 0.0),
    ("cancer_recent", 1.53),  # diagnosed 2 April 2021: within 5 x 365 days of 31 March 2026
    ("cancer_old", 0.0),      # diagnosed 1 April 2021: exactly 1825 days before, outside
    ("lax4", 1.12),           # 4 laxative issues in the last 12 months
    ("lax3", 0.0),            # 3 issues
    ("lax4_old", 0.0),        # 4 issues, but the first 365 days before: only 3 in the window
    ("twice", 0.75),          # diabetes coded twice counts once
])
def test_cms(cms, person, expected):
    assert cms[person] == pytest.approx(expected)
