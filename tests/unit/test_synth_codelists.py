"""Codelists: the QOF registers, the 36 eFI deficits, the 20 CMS conditions, and the loader's
handling of unknown or hostile names."""
from __future__ import annotations

import re

import pytest

from agora import codelists

PATTERNS = {"snomed": r"\d{6,18}", "dmd": r"\d{6,18}", "icd10": r"[A-Z]\d{2}[0-9A-Z]?",
            "opcs4": r"[A-Z]\d{2}\d?", "treatment_function": r"\d{3}"}


def test_the_named_codelists_exist():
    names = set(codelists.names())
    assert {"diabetes", "hypertension", "chd", "copd", "asthma", "af", "heart_failure", "ckd",
            "depression", "smi", "dementia", "learning_disability", "end_of_life", "maternity",
            "polypharmacy"} <= names
    assert len(codelists.efi_deficits()) == 36
    assert len(codelists.cms_conditions()) == 20
    assert {"efi_falls", "efi_polypharmacy", "efi_social_vulnerability", "cms_dementia",
            "cms_painful_condition"} <= names


def test_every_codelist_is_well_formed():
    flat = codelists.all_codelists()
    assert list(flat.columns) == codelists.COLUMNS
    assert flat["version"].str.fullmatch(r"\d{4}\.\d+").all()
    for system, pattern in PATTERNS.items():
        codes = flat.loc[flat["system"] == system, "code"]
        assert codes.str.fullmatch(pattern).all(), system
    assert not flat.duplicated(["codelist", "system", "code"]).any()
    assert (flat["description"].str.len() > 2).all()


def test_known_codes_worked_by_hand():
    assert "44054006" in codelists.codes("diabetes", "snomed")      # type 2 diabetes mellitus
    assert "E11" in codelists.codes("diabetes", "icd10")
    assert "49436004" in codelists.codes("efi_atrial_fibrillation")
    assert codelists.codes("efi_polypharmacy", "dmd") == codelists.codes("polypharmacy", "dmd")


def test_ref_codes_describe_every_codelist_code_once():
    ref = codelists.ref_codes()
    assert not ref.duplicated(["system", "code"]).any()
    flat = codelists.all_codelists()
    keys = set(zip(ref["system"], ref["code"]))
    assert set(zip(flat["system"], flat["code"])) <= keys
    assert ("opcs4", "W371") in keys and ("treatment_function", "430") in keys


@pytest.mark.parametrize("name", ["nope", "../feeds", "diabetes/../../etc", "", "a" * 5000,
                                  "diabetes.csv", "'; drop table x; --"])
def test_unknown_or_hostile_names_are_refused_clearly(name):
    with pytest.raises(codelists.CodelistError, match="no codelist"):
        codelists.load(name)


def test_a_malformed_codelist_file_is_refused(tmp_path, monkeypatch):
    (tmp_path / "broken.csv").write_text("codelist,code\nbroken,123\n")
    (tmp_path / "reference").mkdir()
    monkeypatch.setattr(codelists, "DIR", tmp_path)
    codelists._read.cache_clear()
    try:
        with pytest.raises(codelists.CodelistError, match="columns"):
            codelists.load("broken")
    finally:
        codelists._read.cache_clear()
    assert re.search("codelist", codelists.CodelistError.__doc__)
