"""Bridges to Health segmentation: 8 segments, first match wins, in DATA_SPEC order: end of life >
organ failure > frailty (severe eFI or dementia) > disability > chronic (1+ long-term condition;
complex 3+) > maternity > acutely ill > healthy. Also the Ageing Well cohort flag."""
from __future__ import annotations

import datetime as dt

import pytest

from agora.phm import ageing_well, definitions, rebuild
from phm_store import codelist, make_store, pid

AS_OF = dt.date(2026, 3, 31)
OLD, YOUNG = dt.date(1950, 1, 1), dt.date(1990, 1, 1)
EFI = [r.codelists[0] for r in definitions.EFI_DEFICITS]
CODES = {"end_of_life": "6000001", "heart_failure": "6000002", "dementia": "6000003",
         "learning_disability": "6000004", "diabetes": "6000005", "asthma": "6000006",
         "copd": "6000007", "maternity": "6000008"}


def test_segment_order_is_data_spec_order():
    assert [s for s, _ in definitions.SEGMENTS] == [
        "end_of_life", "organ_failure", "frailty", "disability", "chronic", "maternity",
        "acutely_ill", "healthy"]


def coded(person, *conditions, on=dt.date(2026, 1, 10)):
    return [{"person_id": person, "event_date": on, "snomed_code": CODES[c]} for c in conditions]


def frail(person, deficits):
    return [{"person_id": person, "event_date": dt.date(2020, 1, 1),
             "snomed_code": f"{5000000 + i}"}
            for i in range(deficits)]


# name: (birth month, sex, expected segment, expected ltc_count, expected ageing_well)
PEOPLE = {
    "everything": (OLD, "F", "end_of_life", 4, True),     # LTCs: HF, dementia, diabetes, asthma
    "organ_and_more": (OLD, "F", "organ_failure", 2, True),   # heart failure, dementia, LD
    "hf_in_hospital": (YOUNG, "M", "organ_failure", 1, False),  # ICD-10 I50.0 under "I50"
    "severe_frail": (OLD, "M", "frailty", 0, True),             # 13 deficits: eFI 0.361
    "young_dementia": (YOUNG, "F", "frailty", 1, False),        # dementia at any age; 36 years
    "moderate_frail_ld": (OLD, "F", "disability", 0, True),     # 9 deficits: eFI 0.25, + LD
    "one_ltc": (YOUNG, "F", "chronic", 1, False),               # + maternity + A&E
    "complex": (YOUNG, "M", "chronic", 3, False),
    "pregnant": (YOUNG, "F", "maternity", 0, False),            # + A&E
    "ae_recent": (YOUNG, "M", "acutely_ill", 0, False),
    "emergency_recent": (YOUNG, "M", "acutely_ill", 0, False),
    "ae_13_months": (YOUNG, "M", "healthy", 0, False),
    "eol_13_months": (YOUNG, "F", "healthy", 0, False),
    "mild_frail": (OLD, "F", "healthy", 0, False),              # 5 deficits: mild, not cohort
    "nothing": (YOUNG, "F", "healthy", 0, False),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    P = {n: pid(i) for i, n in enumerate(PEOPLE)}
    events = (coded(P["everything"], "end_of_life", "heart_failure", "dementia",
                    "learning_disability", "diabetes", "asthma", "maternity")
              + coded(P["organ_and_more"], "heart_failure", "dementia", "learning_disability")
              + frail(P["severe_frail"], 13) + coded(P["young_dementia"], "dementia")
              + frail(P["moderate_frail_ld"], 9)
              + coded(P["moderate_frail_ld"], "learning_disability")
              + coded(P["one_ltc"], "diabetes", "maternity")
              + coded(P["complex"], "diabetes", "asthma", "copd")
              + coded(P["pregnant"], "maternity")
              + coded(P["eol_13_months"], "end_of_life", on=dt.date(2025, 2, 28))
              + frail(P["mild_frail"], 5))
    ae = [{"attendance_id": f"A{i}", "person_id": P[n], "arrival_at": when}
          for i, (n, when) in enumerate([
              ("one_ltc", dt.datetime(2026, 2, 1, 9)), ("pregnant", dt.datetime(2026, 2, 1, 9)),
              ("ae_recent", dt.datetime(2025, 4, 1, 0, 0)),       # 364 days before
              ("ae_13_months", dt.datetime(2025, 2, 27, 12))])]
    spells = [{"spell_id": "S1", "person_id": P["emergency_recent"],
               "admission_at": dt.datetime(2025, 5, 1, 3)},
              {"spell_id": "S2", "person_id": P["hf_in_hospital"],
               "admission_at": dt.datetime(2020, 5, 1, 3), "admission_method": "11",
               "is_emergency": False}]
    diagnoses = [{"spell_id": "S2", "position": 1, "icd10_code": "I50.0"}]
    lists = [r for c, code in CODES.items() for r in codelist(c, "snomed", code)]
    lists += codelist("heart_failure", "icd10", "I50")
    lists += [r for i, c in enumerate(EFI) for r in codelist(c, "snomed", f"{5000000 + i}")]
    con = make_store(tmp_path_factory.mktemp("seg") / "store.duckdb",
                     person=[{"person_id": P[n], "birth_month": b, "sex": s}
                             for n, (b, s, *_) in PEOPLE.items()],
                     gp_event=events, ae_attendance=ae, apc_spell=spells,
                     apc_diagnosis=diagnoses, ref_codelist=lists)
    rebuild(con, as_of=AS_OF)
    return con, P


@pytest.mark.parametrize("name", PEOPLE)
def test_segment_first_match_wins(store, name):
    con, P = store
    segment, ltc_count, cohort = con.execute(
        "SELECT segment, ltc_count, ageing_well FROM person_risk WHERE person_id = ?",
        [P[name]]).fetchone()
    _, _, expected_segment, expected_ltc, expected_cohort = PEOPLE[name]
    assert (segment, ltc_count, cohort) == (expected_segment, expected_ltc, expected_cohort)


def test_everyone_has_exactly_one_segment(store):
    con, _ = store
    assert con.execute("SELECT count(*), count(segment) FROM person_risk").fetchone() == (15, 15)


def test_ageing_well_cohort_lists_the_flagged_people(store):
    con, P = store
    cohort = ageing_well(con)
    expected = {P[n] for n, (*_, flag) in PEOPLE.items() if flag}
    assert set(cohort["person_id"]) == expected
    assert cohort.set_index("person_id").loc[P["everything"], "end_of_life"]
    assert ageing_well(con, practice="F81999").empty


@pytest.mark.parametrize("bad", [123, "x" * 200, ["F81001"]])
def test_ageing_well_rejects_bad_practice(store, bad):
    con, _ = store
    with pytest.raises(ValueError, match="practice"):
        ageing_well(con, practice=bad)
