"""Reference files: organisations, LSOAs with deprivation, postcode -> LSOA, codes and
codelists. Column names are the model's reference table columns."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import codelists, model
from .population import Population


def _write(df: pd.DataFrame, path: Path) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, lineterminator="\n")
    return {"file": f"reference/{path.name}", "rows": len(df)}


def _columns(table: str) -> list[str]:
    return [c.name for c in model.table(table).columns]


def write_reference(out_dir: Path, pop: Population) -> list[dict]:
    ref = out_dir / "reference"
    geo = pop.geo
    lsoa = geo.lsoa.copy()
    lsoa["population"] = np.bincount(pop.people["lsoa_no"].to_numpy(), minlength=len(lsoa))
    ref_code = codelists.ref_codes()
    flat = codelists.all_codelists()
    return [
        _write(geo.orgs[_columns("ref_org")], ref / "ref_org.csv"),
        _write(lsoa[_columns("ref_lsoa")], ref / "ref_lsoa.csv"),
        _write(geo.postcodes[["postcode", "lsoa_code"]], ref / "postcode_lsoa.csv"),
        _write(ref_code[_columns("ref_code")], ref / "ref_code.csv"),
        _write(flat[_columns("ref_codelist")], ref / "ref_codelist.csv"),
    ]
