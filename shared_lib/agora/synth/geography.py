"""The partnership's map: LSOAs with deprivation, postcodes, organisations and practices.

The map depends only on a fixed seed, so reference data is the same for every run; people are
placed on it by `agora.synth.population` with the run's seed.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import constants as C

MAP_SEED = 2025
INWARD_LETTERS = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))   # letters used in inward codes


@dataclass(frozen=True)
class Geography:
    lsoa: pd.DataFrame        # lsoa_code, msoa_code, district, district_no, imd_decile, weight
    postcodes: pd.DataFrame   # postcode, lsoa_code, lsoa_no
    practices: pd.DataFrame   # practice_code, name, pcn_code, district(_no), supplier, weight
    orgs: pd.DataFrame        # ref_org columns


def _lsoas(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for d, (name, _ons, _council, pop, mean_imd, _outs) in enumerate(C.DISTRICTS):
        k = round(pop / C.LSOA_MEAN_POPULATION)
        imd = np.clip(np.rint(rng.normal(mean_imd, 2.2, k)), 1, 10).astype(int)
        weight = np.clip(rng.normal(C.LSOA_MEAN_POPULATION, 300, k), 1000, 3000)
        rows.append(pd.DataFrame({"district": name, "district_no": d, "imd_decile": imd,
                                  "weight": weight}))
    lsoa = pd.concat(rows, ignore_index=True)
    n = len(lsoa)
    lsoa.insert(0, "lsoa_code", "E01" + pd.Series(900001 + np.arange(n)).astype(str))
    msoa_no = np.concatenate([np.arange(g.size) // C.LSOAS_PER_MSOA + 1000 * d
                              for d, g in lsoa.groupby("district_no").indices.items()])
    _, msoa_idx = np.unique(msoa_no, return_inverse=True)
    lsoa.insert(1, "msoa_code", "E02" + pd.Series(900001 + msoa_idx).astype(str))
    return lsoa


def _postcodes(lsoa: pd.DataFrame) -> pd.DataFrame:
    frames = []
    for d, (_name, *_rest, outs) in enumerate(C.DISTRICTS):
        codes = lsoa.index[lsoa["district_no"] == d].to_numpy()
        per = C.POSTCODES_PER_LSOA
        lsoa_pos = np.repeat(np.arange(codes.size), per)          # each LSOA in one outward code
        out_no = lsoa_pos * len(outs) // codes.size
        outward = np.array(outs)[out_no]
        first_of_out = np.searchsorted(out_no, out_no)              # inward numbers per outward
        inward_no = np.arange(out_no.size) - first_of_out
        letters = INWARD_LETTERS[(inward_no // 10) % 20] + INWARD_LETTERS[(inward_no // 200) % 20]
        inward = pd.Series(inward_no % 10).astype(str) + letters
        frames.append(pd.DataFrame({"postcode": pd.Series(outward) + " " + inward,
                                    "lsoa_no": np.repeat(codes, C.POSTCODES_PER_LSOA)}))
    pc = pd.concat(frames, ignore_index=True)
    pc["lsoa_code"] = lsoa["lsoa_code"].to_numpy()[pc["lsoa_no"]]
    return pc


def _practices(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    pops = np.array([d[3] for d in C.DISTRICTS], dtype=float)
    n_prac = np.maximum(1, np.rint(pops / pops.sum() * C.PRACTICES)).astype(int)
    n_prac[np.argmax(n_prac)] += C.PRACTICES - n_prac.sum()
    n_pcn = np.maximum(1, np.rint(pops / pops.sum() * C.PCNS)).astype(int)
    n_pcn[np.argmax(n_pcn)] += C.PCNS - n_pcn.sum()
    codes = "F81" + pd.Series(np.sort(rng.choice(np.arange(1, 1000), C.PRACTICES, replace=False))
                              ).astype(str).str.zfill(3)
    pcn_codes = "U" + pd.Series(rng.choice(np.arange(10000, 100000), C.PCNS, replace=False)
                                ).astype(str)
    prac_rows, pcn_rows, p0, q0 = [], [], 0, 0
    for d, (name, *_r) in enumerate(C.DISTRICTS):
        pcn_here = pcn_codes[q0:q0 + n_pcn[d]].tolist()
        pcn_rows += [(c, f"{name} PCN {i + 1}", d) for i, c in enumerate(pcn_here)]
        for i in range(n_prac[d]):
            prac_rows.append((codes[p0 + i], f"{name} Medical Practice {i + 1}",
                              pcn_here[i % len(pcn_here)], name, d))
        p0, q0 = p0 + n_prac[d], q0 + n_pcn[d]
    prac = pd.DataFrame(prac_rows, columns=["practice_code", "name", "pcn_code", "district",
                                            "district_no"])
    prac["supplier"] = np.where(rng.random(len(prac)) < C.SUPPLIER_A_SHARE, "A", "B")
    prac["weight"] = rng.lognormal(0, 0.5, len(prac))
    pcn = pd.DataFrame(pcn_rows, columns=["pcn_code", "name", "district_no"])
    pcn["district"] = [C.DISTRICTS[d][0] for d in pcn["district_no"]]
    return prac, pcn


def _orgs(prac: pd.DataFrame, pcn: pd.DataFrame) -> pd.DataFrame:
    icb, trust = C.ICB, C.TRUST
    rows = [(icb[0], icb[1], "icb", None, None), (trust[0], trust[1], "trust", icb[0], None)]
    rows += [(code, name, "site", trust[0], served[0]) for code, name, served in C.TRUST_SITES]
    rows.append((C.MIU_SITE[0], C.MIU_SITE[1], "site", trust[0], "Maldon"))
    rows.append((C.AMBULANCE[0], C.AMBULANCE[1], "ambulance", None, None))
    rows.append((C.COMMUNITY_MH[0], C.COMMUNITY_MH[1], "mental_health", icb[0], None))
    rows += [(code, name, "council", None, None) for code, name in C.COUNCILS]
    rows += [(ons, f"{name} Council", "council", council, name)
             for name, ons, council, *_ in C.DISTRICTS if ons != council]
    rows += [(r.pcn_code, r.name, "pcn", icb[0], r.district) for r in pcn.itertuples()]
    rows += [(r.practice_code, r.name, "practice", r.pcn_code, r.district)
             for r in prac.itertuples()]
    rows += [(f"VCS{i + 1:02d}", name, "voluntary", icb[0], None)
             for i, name in enumerate(C.VOLUNTARY_ORGS)]
    return pd.DataFrame(rows, columns=["org_code", "name", "org_type", "parent_code", "district"])


def build() -> Geography:
    """The map of the partnership (fixed: independent of the run's seed and scale)."""
    rng = np.random.default_rng(MAP_SEED)
    lsoa = _lsoas(rng)
    prac, pcn = _practices(rng)
    return Geography(lsoa=lsoa, postcodes=_postcodes(lsoa), practices=prac,
                     orgs=_orgs(prac, pcn))
