"""Electronic Frailty Index: deficits / 36 for people aged 65+, banded fit <= 0.12, mild <= 0.24,
moderate <= 0.36, severe > 0.36; polypharmacy = 5+ distinct drugs in 12 months (DATA_SPEC)."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from agora.phm import definitions, rebuild
from agora.phm.pipeline import load_definitions
from phm_store import codelist, make_store, pid

AS_OF = dt.date(2026, 3, 31)
AGED_70 = dt.date(1955, 6, 1)
DEFICITS = [r.codelists[0] for r in definitions.EFI_DEFICITS]   # the 35 coded deficits
DRUGS = ["800001", "800002", "800003", "800004", "800005", "800006"]


def deficit_code(i: int) -> str:
    return f"{9000000 + i}"


def codelists() -> list[dict]:
    rows = [r for i, name in enumerate(DEFICITS) for r in codelist(name, "snomed", deficit_code(i))]
    return rows + codelist("polypharmacy", "dmd", *DRUGS)


def coded(person: str, n: int, on=dt.date(2020, 1, 1)) -> list[dict]:
    """The first n deficits recorded for a person."""
    return [{"person_id": person, "event_date": on, "snomed_code": deficit_code(i)}
            for i in range(n)]


def issues(person: str, drugs, on=dt.date(2026, 1, 15)) -> list[dict]:
    return [{"person_id": person, "issue_date": on, "dmd_code": d} for d in drugs]


def test_there_are_36_deficits_as_in_data_spec():
    assert definitions.EFI_DEFICIT_COUNT == 36
    assert len(DEFICITS) == 35 and len(set(DEFICITS)) == 35   # + polypharmacy


@pytest.mark.parametrize("efi, expected", [
    (0.0, "fit"), (0.12, "fit"), (0.1200001, "mild"), (0.24, "mild"), (0.2400001, "moderate"),
    (0.36, "moderate"), (0.3600001, "severe"), (1.0, "severe"),
])
def test_category_boundaries(efi, expected):
    con = duckdb.connect()
    load_definitions(con)
    assert con.execute("SELECT phm_frailty(?)", [efi]).fetchone()[0] == expected


@pytest.fixture(scope="module")
def risk(tmp_path_factory):
    P = {name: pid(i) for i, name in enumerate([
        "d4", "d5", "d8", "d9", "d12", "d13", "poly5", "poly4", "poly_old", "young", "aged65",
        "repeat", "future", "icd", "obsolete", "none"])}
    born = {name: AGED_70 for name in P} | {"young": dt.date(1961, 4, 1),
                                             "aged65": dt.date(1961, 3, 1)}
    events = (coded(P["d4"], 4) + coded(P["d5"], 5) + coded(P["d8"], 8) + coded(P["d9"], 9)
              + coded(P["d12"], 12) + coded(P["d13"], 13) + coded(P["poly5"], 4)
              + coded(P["poly4"], 4) + coded(P["poly_old"], 4) + coded(P["young"], 13)
              + coded(P["aged65"], 13)
              + coded(P["repeat"], 4) + coded(P["repeat"], 4, on=dt.date(2021, 1, 1))
              + coded(P["future"], 4) + coded(P["future"], 9, on=dt.date(2026, 4, 1)))
    meds = (issues(P["poly5"], DRUGS[:5])
            + issues(P["poly4"], DRUGS[:4]) + issues(P["poly4"], DRUGS[:4], dt.date(2025, 6, 1))
            + issues(P["poly_old"], DRUGS[:4])
            + issues(P["poly_old"], DRUGS[4:5], on=dt.date(2025, 3, 30)))
    # falls recorded only in hospital: ICD-10 W19.X against the entry "W19" of version 2025.10
    # of efi_falls; version 2025.9 (earlier: 10 > 9) held an obsolete code that no longer counts
    spells = [{"spell_id": "S1", "person_id": P["icd"], "admission_at": dt.datetime(2025, 5, 1),
               "admission_method": "11", "is_emergency": False}]
    diagnoses = [{"spell_id": "S1", "position": 1, "icd10_code": "W19.X"}]
    falls = deficit_code(DEFICITS.index("efi_falls"))
    lists = ([r for r in codelists() if r["codelist"] != "efi_falls"]
             + codelist("efi_falls", "snomed", "9999999", version="2025.9")
             + codelist("efi_falls", "snomed", falls, version="2025.10")
             + codelist("efi_falls", "icd10", "W19", version="2025.10"))
    events += coded(P["icd"], 4) + coded(P["obsolete"], 4)
    events.append({"person_id": P["obsolete"], "event_date": dt.date(2020, 1, 1),
                   "snomed_code": "9999999"})
    con = make_store(tmp_path_factory.mktemp("efi") / "store.duckdb",
                     person=[{"person_id": p, "birth_month": born[n]} for n, p in P.items()],
                     gp_event=events, gp_medication=meds, apc_spell=spells,
                     apc_diagnosis=diagnoses, ref_codelist=lists)
    rebuild(con, as_of=AS_OF)
    rows = con.execute("SELECT person_id, age, efi_deficits, efi, frailty, polypharmacy "
                       "FROM person_risk").fetchall()
    by_id = {r[0]: r[1:] for r in rows}
    return {name: by_id[p] for name, p in P.items()}


@pytest.mark.parametrize("person, deficits, frailty", [
    ("d4", 4, "fit"),            # 4/36 = 0.111 <= 0.12
    ("d5", 5, "mild"),           # 5/36 = 0.139
    ("d8", 8, "mild"),           # 8/36 = 0.222 <= 0.24
    ("d9", 9, "moderate"),       # 9/36 = 0.250
    ("d12", 12, "moderate"),     # 12/36 = 0.333 <= 0.36
    ("d13", 13, "severe"),       # 13/36 = 0.361
    ("poly5", 5, "mild"),        # 4 coded + polypharmacy (5 distinct drugs)
    ("poly4", 4, "fit"),         # 4 distinct drugs issued twice: not polypharmacy
    ("poly_old", 4, "fit"),      # the 5th drug was issued 366 days before the reference date
    ("aged65", 13, "severe"),    # born March 1961: 65 on 31 March 2026
    ("repeat", 4, "fit"),        # the same deficits coded twice count once
    ("future", 4, "fit"),        # records after the reference date do not count
    ("icd", 5, "mild"),          # 4 from GP codes + falls from an inpatient ICD-10 diagnosis
    ("obsolete", 4, "fit"),      # a code only in an earlier codelist version does not count
    ("none", 0, "fit"),
])
def test_efi_and_category(risk, person, deficits, frailty):
    age, efi_deficits, efi, category, _ = risk[person]
    assert efi_deficits == deficits
    assert efi == pytest.approx(deficits / 36)
    assert category == frailty


def test_polypharmacy_flag(risk):
    assert [risk[p][4] for p in ("poly5", "poly4", "poly_old", "d4")] == [True, False, False,
                                                                          False]


def test_under_65_has_deficits_but_no_efi(risk):
    age, deficits, efi, frailty, _ = risk["young"]   # born April 1961: 64 on 31 March 2026
    assert (age, deficits, efi, frailty) == (64, 13, None, None)
    assert risk["aged65"][0] == 65 and risk["d4"][0] == 70


def test_every_deficit_count_falls_in_the_band_worked_out_by_hand():
    # 0.12 * 36 = 4.32, 0.24 * 36 = 8.64, 0.36 * 36 = 12.96
    expected = ["fit"] * 5 + ["mild"] * 4 + ["moderate"] * 4 + ["severe"] * 24   # 0..36
    con = duckdb.connect()
    load_definitions(con)
    got = [r[0] for r in con.execute(
        "SELECT phm_frailty(k / 36.0) FROM range(37) t(k) ORDER BY k").fetchall()]
    assert got == expected
