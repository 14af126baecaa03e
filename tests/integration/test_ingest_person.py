"""person from GP registrations, postcode -> LSOA, birth month, opt-out removed for analysts,
and spells unpivoted into diagnoses and procedures. Expected values worked out by hand."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from agora import pseudo, store
from agora.feeds import feed
from agora.ingest import ingest

from ingest_files import query


@pytest.fixture(autouse=True)
def no_hooks(monkeypatch):
    monkeypatch.setattr(store.hooks, "POST_LOAD", [])


def write_csv(path: Path, header, rows, delimiter=","):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, delimiter=delimiter, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({h: r.get(h, "") for h in header})


REG = feed("gpa_registrations")


def reg(**kw):
    base = {"PatientGuid": "G1", "OrganisationCode": "F81001",
            "RegistrationStartDate": "01/01/2010", "ExtractDate": "2025-04-30",
            "NhsNumber": "943 476 5919", "Forenames": "Ann", "Surname": "Smith",
            "AddressLine1": "1 High Street", "TelephoneNumber": "01702 000000",
            "DateOfBirth": "15/03/1950", "Postcode": "ss1 1aa", "Sex": "F",
            "NationalDataOptOut": "N"}
    base.update(kw)
    return base


@pytest.fixture
def src(tmp_path):
    src = tmp_path / "src"
    write_csv(src / "reference" / "postcode_lsoa.csv", ["postcode", "lsoa_code"],
              [{"postcode": "SS1 1AA", "lsoa_code": "E01000001"},
               {"postcode": "SS2 2BB", "lsoa_code": "E01000002"}])
    write_csv(src / "feeds" / "gpa_registrations_2025-04.csv", REG.provider_columns, [
        reg(),
        # opted out, moved practice: the open registration wins
        reg(PatientGuid="G2", NhsNumber="9990000018", OrganisationCode="F81002",
            RegistrationStartDate="01/01/2000", RegistrationEndDate="31/12/2019",
            Postcode="SS2 2BB", DateOfBirth="29/02/1944", Sex="M", NationalDataOptOut="Y"),
        reg(PatientGuid="G2", NhsNumber="9990000018", OrganisationCode="F81003",
            RegistrationStartDate="01/01/2020", Postcode="SS2 2BB", DateOfBirth="29/02/1944",
            Sex="M", NationalDataOptOut="Y"),
        # no valid NHS number: local token; unknown postcode: no LSOA
        reg(PatientGuid="G3", NhsNumber="0000000000", Postcode="ZZ9 9ZZ", Sex="I"),
        # bad: sex code unknown, no date of birth
        reg(PatientGuid="G4", NhsNumber="", Sex="X", DateOfBirth=""),
    ])
    events = feed("gpa_events")
    write_csv(src / "feeds" / "gpa_events_2025-04.csv", events.provider_columns, [
        {"ObservationGuid": "O1", "PatientGuid": "G1", "NhsNumber": "9434765919",
         "EffectiveDate": "01/04/2025", "SnomedCTConceptId": "44054006",
         "OrganisationCode": "F81001"},
        {"ObservationGuid": "O2", "PatientGuid": "G2", "NhsNumber": "999 000 0018",
         "EffectiveDate": "02/04/2025", "SnomedCTConceptId": "44054006", "NumericValue": "48",
         "OrganisationCode": "F81003"},
    ])
    return src


def test_person_built_from_registrations(agora_env, src):
    regs, _events = ingest(src).batches
    assert (regs.received, regs.loaded, regs.quarantined) == (5, 4, 1)
    key = pseudo.load_key()
    g1, g2 = pseudo.person_id("9434765919", key), pseudo.person_id("9990000018", key)
    g3 = pseudo.local_token("QH8", "G3", key)
    assert query("SELECT person_id, id_from_local, sex, birth_month::VARCHAR, lsoa_code, "
                 "practice_code, opt_out FROM person ORDER BY practice_code, person_id") == sorted([
        (g1, False, "F", "1950-03-01", "E01000001", "F81001", False),
        (g3, True, "U", "1950-03-01", None, "F81001", False),
        (g2, False, "M", "1944-02-01", "E01000002", "F81003", True),
    ], key=lambda r: (r[5], r[0]))
    assert query("SELECT reason FROM quarantine") == [
        ("sex: unknown code; date_of_birth: missing",)]
    assert query("SELECT count(*) FROM gp_registration") == [(4,)]


def test_analyst_copy_removes_opted_out_people_everywhere(agora_env, src):
    ingest(src)
    key = pseudo.load_key()
    g2 = pseudo.person_id("9990000018", key)
    for table in ("person", "gp_registration", "gp_event"):
        full = query(f"SELECT count(*) FROM {table} WHERE person_id = $p", {"p": g2})
        seen = query(f"SELECT count(*) FROM {table} WHERE person_id = $p", {"p": g2},
                     restricted=False)
        assert full[0][0] >= 1 and seen == [(0,)], table
    assert query("SELECT count(*) FROM person", restricted=False) == [(2,)]
    assert query("SELECT count(*) FROM gp_event", restricted=False) == [(1,)]


APC = feed("raj_apc")


def test_spells_unpivot_into_diagnoses_and_procedures(agora_env, tmp_path):
    src = tmp_path / "src"
    spell = {"SPELL_NO": "S1", "CDS_EXTRACT_DTTM": "2025-04-30T00:00:00", "PAS_ID": "P1",
             "NHS_NO": "9434765919", "PT_NAME": "Ann Smith", "PT_DOB": "1950-03-15",
             "SITE": "RAJ01", "ADMIT_DTTM": "2025-04-01 10:00", "DISCH_DTTM": "2025-04-03 12:00",
             "ADMIMETH": "21", "CLASSPAT": "1", "MAINSPEF_TFC": "300", "DIAG_01": "I21.0",
             "DIAG_02": "E11.9", "DIAG_04": "I10", "OPER_01": "K40.1", "OPDATE_01": "2025-04-02",
             "DISCH_PATHWAY": "0"}
    write_csv(src / "feeds" / "raj_apc_2025-04.csv", APC.provider_columns, [
        spell,
        {**spell, "SPELL_NO": "S2", "DIAG_03": "not-icd"},           # bad child code
        {**spell, "SPELL_NO": "S3", "ADMIMETH": "11", "OPER_01": "", "OPDATE_01": ""},
    ], delimiter="|")
    [b] = ingest(src).batches
    assert (b.loaded, b.quarantined) == (2, 1)
    assert query("SELECT reason FROM quarantine") == [
        ("DIAG_03 (icd10_code): does not match the expected pattern",)]
    assert query("SELECT spell_id, is_emergency, age_on_admission FROM apc_spell ORDER BY 1") \
        == [("S1", True, 75), ("S3", False, 75)]
    assert query("SELECT spell_id, position, icd10_code FROM apc_diagnosis ORDER BY 1, 2") == [
        ("S1", 1, "I21.0"), ("S1", 2, "E11.9"), ("S1", 4, "I10"),
        ("S3", 1, "I21.0"), ("S3", 2, "E11.9"), ("S3", 4, "I10")]
    assert query("SELECT spell_id, position, opcs4_code, procedure_date::VARCHAR "
                 "FROM apc_procedure") == [("S1", 1, "K40.1", "2025-04-02")]
    # a corrected spell replaces its diagnoses too
    write_csv(src / "feeds" / "raj_apc_2025-05.csv", APC.provider_columns, [
        {**spell, "CDS_EXTRACT_DTTM": "2025-05-31T00:00:00", "DIAG_02": "", "DIAG_04": ""}],
        delimiter="|")
    ingest(src)
    assert query("SELECT spell_id, position, icd10_code FROM apc_diagnosis "
                 "WHERE spell_id = 'S1'") == [("S1", 1, "I21.0")]
