"""The emergency admission risk model: logistic regression fitted by maximum likelihood, AUC,
calibration by decile, and risk tiers by rank (top 0.5%, 0.5-5%, 5-20%, rest)."""
from __future__ import annotations

import datetime as dt
import math

import duckdb
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agora.phm import PhmError, compute, rebuild
from agora.phm.pipeline import load_definitions
from agora.phm.risk import auc, calibration, fit_logistic
from phm_store import codelist, make_store, pid

AS_OF = dt.date(2026, 3, 31)
DRUGS = ["800001", "800002", "800003", "800004", "800005"]


def test_auc_by_hand():
    # positives score 0.35 and 0.8, negatives 0.1 and 0.4: 3 of the 4 pairs ordered correctly
    assert auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])) == 0.75
    assert auc(np.array([0, 1]), np.array([0.5, 0.5])) == 0.5          # a tie counts half
    assert math.isnan(auc(np.array([1, 1]), np.array([0.2, 0.3])))     # no negatives


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 20)), min_size=2, max_size=40))
def test_auc_properties(pairs):
    y = np.array([a for a, _ in pairs])
    s = np.array([b for _, b in pairs])
    value = auc(y, s)
    if y.all() or not y.any():
        assert math.isnan(value)
        return
    assert 0 <= value <= 1
    assert auc(y, -s) == pytest.approx(1 - value)          # reversing the order mirrors it
    assert auc(y, s ** 3 + 7) == pytest.approx(value)      # only the order matters


def test_calibration_by_hand():
    # 20 people scored 0.01 .. 0.20; deciles of 2; the top decile (0.19, 0.20) both admitted
    p = np.arange(1, 21) / 100
    y = np.array([0] * 18 + [1, 1])
    table = calibration(y, p)
    assert list(table["n"]) == [2] * 10
    assert table.loc[0, "mean_predicted"] == pytest.approx(0.015)
    assert table.loc[9, "mean_predicted"] == pytest.approx(0.195)
    assert list(table["observed_rate"]) == [0.0] * 9 + [1.0]


def test_fit_matches_closed_form_log_odds():
    # one binary predictor: x=1 -> 10 of 20 admitted (odds 1); x=0 -> 4 of 40 (odds 4/36);
    # a constant column is dropped (coefficient 0, no standard error)
    x = np.array([1] * 20 + [0] * 40)
    y = np.array([1] * 10 + [0] * 10 + [1] * 4 + [0] * 36)
    params, se, constant = fit_logistic(np.column_stack([x, np.full(60, 7.0)]), y)
    assert params[0] == pytest.approx(math.log(4 / 36), abs=1e-4)
    assert params[1] == pytest.approx(-math.log(4 / 36), abs=1e-4)
    assert params[2] == 0 and list(constant) == [False, True] and math.isnan(se[2])
    # standard error of a log odds ratio: sqrt(1/10 + 1/10 + 1/4 + 1/36)
    assert se[1] == pytest.approx(math.sqrt(1 / 10 + 1 / 10 + 1 / 4 + 1 / 36), rel=1e-3)


@pytest.mark.parametrize("fraction, tier", [
    (0.001, "top_0_5"), (0.005, "top_0_5"), (0.0051, "0_5_to_5"), (0.05, "0_5_to_5"),
    (0.0501, "5_to_20"), (0.20, "5_to_20"), (0.2001, "rest"), (1.0, "rest"),
])
def test_tier_boundaries(fraction, tier):
    con = duckdb.connect()
    load_definitions(con)
    assert con.execute("SELECT phm_risk_tier(?)", [fraction]).fetchone()[0] == tier


def risk_store(path, train_groups, test_groups, opted_out=0):
    """People alike but for polypharmacy; (poly, admitted, count) groups, plus `opted_out`
    people (National Data Opt-out) without polypharmacy, all admitted. History runs from
    1 April 2024 (one early A&E visit) to 31 March 2026, so the outcome window is
    min(365, 729 // 2) = 364 days after 1 April 2025 and the predictor window the 364 before."""
    people, meds, spells = [], [], []
    for prefix, groups, opt_out in (("0", train_groups, False), ("b", test_groups, False),
                                    ("1", [(False, True, opted_out)], True)):
        for poly, admitted, count in groups:
            for _ in range(count):
                p = pid(len(people), prefix)
                people.append({"person_id": p, "birth_month": dt.date(1961, 1, 1),
                               "opt_out": opt_out})
                if poly:   # 5 distinct drugs before the training date and again before as_of
                    meds += [{"person_id": p, "issue_date": on, "dmd_code": d} for d in DRUGS
                             for on in (dt.date(2025, 3, 1), dt.date(2026, 3, 1))]
                if admitted:
                    spells.append({"spell_id": f"S{len(spells)}", "person_id": p,
                                   "admission_at": dt.datetime(2025, 6, 1, 10)})
    ae = [{"attendance_id": "A0", "person_id": people[0]["person_id"],
           "arrival_at": dt.datetime(2024, 4, 1, 8)}]
    return make_store(path, person=people, gp_medication=meds, apc_spell=spells,
                      ae_attendance=ae, ref_codelist=codelist("polypharmacy", "dmd", *DRUGS))


TRAIN = [(True, True, 10), (True, False, 10), (False, True, 4), (False, False, 36)]
TEST = [(True, True, 3), (True, False, 2), (False, True, 1), (False, False, 4)]


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    # 10 opted-out people, all admitted: were they used, the odds without polypharmacy would
    # be 14/36 instead of 4/36
    con = risk_store(tmp_path_factory.mktemp("risk") / "store.duckdb", TRAIN, TEST, opted_out=10)
    result = rebuild(con, as_of=AS_OF)
    return con, result


def test_model_windows(fitted):
    _, result = fitted
    assert result.horizon_days == 364 and result.train_date == dt.date(2025, 4, 1)


def test_coefficients_are_the_log_odds(fitted):
    _, result = fitted
    model = result.model
    assert model.intercept == pytest.approx(math.log(4 / 36), abs=1e-4)
    assert model.coefficients["polypharmacy"] == pytest.approx(math.log(9), abs=1e-4)
    # everyone is 64 at the training date (so no eFI), female, of unknown deprivation, with no
    # prior use: all constant, so dropped
    assert set(model.dropped) == {"age", "male", "imd_decile", "cms", "efi", "prior_ae",
                                  "prior_emergency"}


def test_evaluation_by_hand(fitted):
    ev = fitted[1].model.evaluation
    assert (ev["train_people"], ev["train_admitted"], ev["test_people"], ev["test_admitted"]) \
        == (60, 14, 10, 4)
    # training: 14 admitted x 46 not = 644 pairs; polypharmacy-admitted beat the 36 others
    # (360), tie the 10 (50), the 4 admitted without tie the 36 (72): 482 / 644
    assert ev["auc_train"] == pytest.approx(482 / 644)
    # test: 4 x 6 = 24 pairs: 3 x 4 wins, 3 x 2 ties, 1 x 4 ties: (12 + 3 + 2) / 24
    assert ev["auc_test"] == pytest.approx(17 / 24)


def test_scores_and_tiers(fitted):
    con, _ = fitted
    rows = con.execute("SELECT risk_score, risk_tier, polypharmacy FROM person_risk "
                       "ORDER BY risk_score DESC, person_id").fetchall()
    assert len(rows) == 80     # opted-out people are scored too (for direct care)
    # prior emergency admissions differ at the reference date but their coefficient is 0, so
    # scores are 0.5 with polypharmacy (odds 1) and 0.1 without (odds 4/36)
    assert {(round(s, 4), poly) for s, _, poly in rows} == {(0.5, True), (0.1, False)}
    # 80 ranked: top 0.5% is rank <= 0.4 (nobody), 0.5-5% ranks 1-4, 5-20% ranks 5-16
    tiers = [t for _, t, _ in rows]
    assert tiers == ["0_5_to_5"] * 4 + ["5_to_20"] * 12 + ["rest"] * 64


def test_too_few_outcomes_leaves_scores_empty(tmp_path):
    con = risk_store(tmp_path / "store.duckdb", [(True, True, 3), (False, False, 20)], [])
    result = rebuild(con, as_of=AS_OF)
    assert result.model is None and "too few outcomes" in result.model_error
    assert con.execute("SELECT count(*), count(risk_score), count(risk_tier), count(segment) "
                       "FROM person_risk").fetchone() == (23, 0, 0, 23)


@pytest.mark.parametrize("bad", ["2026-02-30", "yesterday", "2026-01-01'; DROP TABLE person;--",
                                 "9" * 5000])
def test_bad_reference_date_is_refused_and_changes_nothing(fitted, bad):
    con, _ = fitted
    before = con.execute("SELECT count(*), sum(risk_score) FROM person_risk").fetchone()
    with pytest.raises(PhmError, match="as_of"):
        rebuild(con, as_of=bad)
    with pytest.raises(PhmError, match="as_of"):
        compute(con, as_of=bad)
    assert con.execute("SELECT count(*), sum(risk_score) FROM person_risk").fetchone() == before
    assert con.execute("SELECT count(*) FROM person").fetchone() == (80,)


def test_empty_store_gives_empty_tables(tmp_path):
    con = make_store(tmp_path / "empty.duckdb")
    result = rebuild(con, as_of=AS_OF)
    assert result.people == 0 and result.model is None
    assert con.execute("SELECT count(*) FROM person_risk").fetchone() == (0,)


def test_reference_date_before_any_activity_has_no_model(tmp_path):
    con = risk_store(tmp_path / "store.duckdb", TRAIN, TEST)
    result = rebuild(con, as_of="2000-01-01")
    assert result.model is None and "no A&E or inpatient activity" in result.model_error
    assert con.execute("SELECT count(*), count(risk_score) FROM person_risk").fetchone() == (70, 0)
