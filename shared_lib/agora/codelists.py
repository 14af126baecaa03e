"""Versioned codelists (SNOMED CT, dm+d, ICD-10) and reference code descriptions.

One CSV per codelist in `agora/codelists/` with columns codelist,version,system,code,description:
the QOF registers (diabetes, hypertension, chd, copd, asthma, af, heart_failure, ckd, depression,
smi, dementia, stroke, cancer), learning_disability, end_of_life, maternity, polypharmacy (the
dm+d medicines counted), the 36 electronic Frailty Index deficits (`efi_*`, Clegg et al. 2016)
and the 20 Cambridge Multimorbidity Score conditions (`cms_*`, Payne et al. 2020).
`reference/codes.csv` adds descriptions for other codes the feeds use (ref_code).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

DIR = Path(__file__).with_name("codelists")
COLUMNS = ["codelist", "version", "system", "code", "description"]
SYSTEMS = ("snomed", "icd10", "opcs4", "dmd", "treatment_function")
NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


class CodelistError(KeyError):
    """An unknown codelist or a malformed codelist file."""


def names() -> list[str]:
    """All codelist names, sorted."""
    return sorted(p.stem for p in DIR.glob("*.csv"))


def efi_deficits() -> list[str]:
    """The 36 eFI deficit codelists (`efi_<deficit>`)."""
    return [n for n in names() if n.startswith("efi_")]


def cms_conditions() -> list[str]:
    """The 20 Cambridge Multimorbidity Score condition codelists (`cms_<condition>`)."""
    return [n for n in names() if n.startswith("cms_")]


@lru_cache(maxsize=None)
def _read(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(df.columns) != COLUMNS:
        raise CodelistError(f"{path.name}: columns {list(df.columns)} are not {COLUMNS}")
    if (df["codelist"] != path.stem).any() or df.duplicated(["system", "code"]).any():
        raise CodelistError(f"{path.name}: wrong codelist name or duplicated codes")
    if not df["system"].isin(SYSTEMS).all():
        raise CodelistError(f"{path.name}: unknown code system")
    return df


def load(name: str) -> pd.DataFrame:
    """One codelist as a DataFrame (codelist, version, system, code, description)."""
    known = isinstance(name, str) and NAME.fullmatch(name) and (DIR / f"{name}.csv").is_file()
    if not known:
        shown = repr(name) if len(str(name)) <= 80 else repr(str(name)[:80] + "...")
        raise CodelistError(f"no codelist {shown}; known: {', '.join(names())}")
    return _read(DIR / f"{name}.csv").copy()


def codes(name: str, system: str | None = None) -> list[str]:
    """The codes of a codelist, optionally of one system only."""
    df = load(name)
    return df.loc[df["system"] == system, "code"].tolist() if system else df["code"].tolist()


def all_codelists() -> pd.DataFrame:
    """Every codelist, flattened (the ref_codelist table plus descriptions)."""
    return pd.concat([_read(DIR / f"{n}.csv") for n in names()], ignore_index=True)


def ref_codes() -> pd.DataFrame:
    """Descriptions of every code in the codelists and reference set: system, code, description."""
    extra = pd.read_csv(DIR / "reference" / "codes.csv", dtype=str, keep_default_na=False)
    both = pd.concat([extra, all_codelists()[["system", "code", "description"]]])
    return both.drop_duplicates(["system", "code"]).sort_values(["system", "code"],
                                                               ignore_index=True)
