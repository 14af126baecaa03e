"""The synthetic population against DATA_SPEC: age/sex structure, prevalences, frailty bands,
opt-out, deaths, and that the sicker, frailer and more deprived are who they should be."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from agora.synth import constants as C, geography, population
from agora.synth.rng import Streams

START, END = pd.Timestamp("2025-04-01"), pd.Timestamp("2026-04-01")


@pytest.fixture(scope="module")
def pop():
    return population.build(Streams(5), geography.build(), 0.02, START, END)


def test_age_and_sex_structure(pop):
    p = pop.people
    assert len(p) == 24_000
    bands = pd.cut(p["age"], [-1, 17, 64, 84, 200]).value_counts(normalize=True).sort_index()
    assert np.allclose(bands.to_numpy(), [0.20, 0.59, 0.18, 0.03], atol=0.012)
    assert abs((p["sex"] == "M").mean() - 0.49) < 0.015
    assert (p.loc[p["age"] >= 85, "sex"] == "F").mean() > 0.55


@pytest.mark.parametrize("name,share,denominator", [
    ("diabetes", 0.075, 17), ("hypertension", 0.15, None), ("chd", 0.03, None),
    ("copd", 0.019, None), ("asthma", 0.065, None), ("af", 0.022, None),
    ("heart_failure", 0.011, None), ("ckd", 0.04, 18), ("depression", 0.13, 18),
    ("smi", 0.01, None), ("dementia", 0.043, 65)])
def test_qof_prevalence(pop, name, share, denominator):
    p = pop.people
    base = p if denominator is None else p[p["age"] >= denominator]
    assert base[f"c_{name}"].mean() == pytest.approx(share, rel=0.2)


def test_frailty_bands_among_65_plus(pop):
    p = pop.people
    old = p[p["age"] >= 65]
    deficits = old[[f"e_{d}" for d in pop.deficits]].sum(axis=1)
    assert len(pop.deficits) == 36
    bands = pd.cut(deficits, [-1, 4, 8, 12, 36]).value_counts(normalize=True).sort_index()
    # fit 50%, mild 35%, moderate 12%, severe 3% (DATA_SPEC, Clegg 2016); conditions can only
    # add deficits, so the frailer bands may be a little larger
    assert bands.iloc[0] == pytest.approx(0.50, abs=0.05)
    assert bands.iloc[1] == pytest.approx(0.35, abs=0.05)
    assert bands.iloc[2] == pytest.approx(0.12, abs=0.04)
    assert bands.iloc[3] == pytest.approx(0.03, abs=0.02)


def test_opt_out_deaths_and_identifiers(pop):
    p = pop.people
    assert p["opt_out"].mean() == pytest.approx(C.OPT_OUT_SHARE, abs=0.008)
    deaths = p["death_date"].notna().sum()
    assert deaths == round(C.DEATHS_PER_1000 / 1000 * len(p) * (END - START).days / 365.25)
    assert p.loc[p["death_date"].notna(), "age"].median() > 70
    assert p["nhs_number"].is_unique and (p["nhs_number"] > 0).all()
    assert p["postcode"].isin(pop.geo.postcodes["postcode"]).all()


def test_more_deprived_older_and_frailer_people_are_sicker_and_use_more(pop):
    p = pop.people
    most, least = p[p["imd_decile"] <= 3], p[p["imd_decile"] >= 8]
    assert most["n_conditions"].mean() > least["n_conditions"].mean()
    w = population.use_weights(pop, "urgent")
    assert w[p["age"].to_numpy() >= 80].mean() > 1.5 * w[(p["age"] >= 18) & (p["age"] < 65)].mean()
    assert w[p["n_conditions"].to_numpy() >= 3].mean() > w[p["n_conditions"].to_numpy() == 0].mean()


def test_weighted_sampling_without_replacement():
    rng = np.random.default_rng(0)
    w = np.array([0.0, 1.0, 1.0, 100.0, 0.0])
    picks = population.weighted_sample_without_replacement(rng, w, 2)
    assert len(set(picks)) == 2 and 3 in picks and not {0, 4} & set(picks)
    assert population.weighted_sample_without_replacement(rng, w, 10).tolist() == [1, 2, 3]
