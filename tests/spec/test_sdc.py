"""Disclosure control, spec tests: expected outputs worked out by hand from the rules in
DATA_SPEC.md (HES/ECDS and OpenSAFELY), boundaries at 0, 7, 8 and at .5 ties."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agora import sdc

NA = pd.NA


def values(s):
    return [None if pd.isna(v) else v for v in s.tolist()]


# HES/ECDS ------------------------------------------------------------------------------------
@pytest.mark.parametrize("count, expected", [
    (0, 0),        # 0 stays 0
    (1, None),     # 1-7 suppressed
    (7, None),
    (8, 10),       # 8 is shown, rounded: 8/5 = 1.6 -> 2 -> 10
    (12, 10),      # 2.4 -> 2
    (13, 15),      # 2.6 -> 3
    (17, 15),
    (18, 20),
    (100, 100),
    (1_000_003, 1_000_005),
])
def test_hes_boundaries(count, expected):
    assert values(sdc.hes_counts([count])) == [expected]


def test_hes_keeps_missing_missing():
    assert values(sdc.hes_counts([None, 9])) == [None, 10]


# OpenSAFELY ----------------------------------------------------------------------------------
@pytest.mark.parametrize("count, expected", [
    (0, None),     # 0 describes <= 7 people: redacted
    (7, None),
    (8, 10),
    (22, 20),
    (23, 25),
])
def test_opensafely_boundaries(count, expected):
    assert values(sdc.opensafely_counts([count])) == [expected]


@pytest.mark.parametrize("count, expected", [
    (0, 0), (1, 3), (6, 3), (7, 9), (12, 9), (13, 15), (18, 15), (19, 21)])
def test_midpoint6(count, expected):
    # ceil(x/6)*6 - 3*(x != 0), worked by hand: 7 -> ceil(1.17)=2 -> 12 - 3 = 9
    assert values(sdc.midpoint6([count])) == [expected]


# Rounding at a tie: half away from zero, not Python's half to even --------------------------
def test_ties_round_half_away_from_zero():
    assert list(sdc.round_half_up([2.5, 7.5, 12.5, 17.5, 22.4], 5)) == [5, 10, 15, 20, 20]
    assert round(2.5 / 5) * 5 == 0            # what round() would have done
    assert sdc.round_half_up(2.5) == 3.0
    assert values(sdc.round_dp([0.125, 2.675, 1.005, 33.35], 2)) == [0.13, 2.68, 1.01, 33.35]
    assert values(sdc.round_dp([33.35], 1)) == [33.4]


# DataFrames ----------------------------------------------------------------------------------
def breakdown():
    return pd.DataFrame({
        "pcn": ["North", "South", "East", "West"],
        "attendances": [0, 5, 48, 131],
        "admitted": [0, 3, 8, 40],
        "mean_los_days": [np.nan, 2.5, 3.25, 4.0],
    })


def test_hes_dataframe_counts_stats_and_percentages_from_rounded():
    out = sdc.hes(breakdown(), ["attendances", "admitted"], stats=["mean_los_days"],
                  people="attendances")
    assert values(out["attendances"]) == [0, None, 50, 130]
    assert values(out["admitted"]) == [0, None, 10, 40]
    # mean over 5 people suppressed; the others kept
    assert values(out["mean_los_days"]) == [None, None, 3.25, 4.0]
    out = sdc.with_rate(out, "admitted", "attendances", name="pct_admitted")
    # from rounded values: 10/50 = 20.0 (not 8/48 = 16.7); 40/130 = 30.769 -> 30.8
    assert values(out["pct_admitted"]) == [None, None, 20.0, 30.8]
    assert sdc.check(out).empty
    # the input is untouched
    assert breakdown()["attendances"].tolist() == [0, 5, 48, 131]


def test_opensafely_dataframe_and_midpoint6_columns():
    out = sdc.opensafely(breakdown(), ["attendances", "admitted"])
    assert values(out["attendances"]) == [None, None, 50, 130]
    m6 = sdc.opensafely(breakdown(), ["attendances", "admitted"], midpoint6=True)
    assert list(m6.columns) == ["pcn", "attendances_midpoint6", "admitted_midpoint6",
                                "mean_los_days"]
    # 48: ceil(8.0) * 6 - 3 = 45; 131: ceil(21.8) = 22 -> 132 - 3 = 129
    assert values(m6["attendances_midpoint6"]) == [0, 3, 45, 129]
    assert values(m6["admitted_midpoint6"]) == [0, 3, 9, 39]
    assert sdc.check(m6).empty   # midpoint-6 values are safe by construction


def test_display_marks_suppressed_cells():
    out = sdc.display(sdc.hes(breakdown(), ["attendances"]))
    assert out["attendances"].tolist() == [0, "*", 50, 130]
    # the gate reads the marked column as suppressed, and still catches `admitted` left raw
    assert sdc.check(out).to_dict("records") == [{"row": 1, "column": "admitted", "value": 3}]


def test_total_row_sums_published_cells():
    out = sdc.total_row(sdc.hes(breakdown(), ["attendances"]), ["attendances"], "pcn")
    assert out.iloc[-1]["pcn"] == "Total"
    assert out.iloc[-1]["attendances"] == 180   # 0 + 50 + 130; the suppressed 5 adds nothing


# Secondary suppression -----------------------------------------------------------------------
def test_secondary_suppression_hes_two_way_table():
    table = pd.DataFrame({"female": [3, 20, 30], "male": [40, 50, 60]},
                         index=["0-17", "18-64", "65+"])
    out = sdc.protect_table(table)
    # 3 is primary; row 0-17 would give it away from its total 43 -> also hide 40 (row's other
    # cell); column female then has one hidden -> hide its smallest, 20; row 18-64 then has one
    # -> hide 50. Totals are true totals rounded: 43->45, 70, 90; 53->55, 150, 203->205.
    expected = pd.DataFrame({"female": [NA, NA, 30, 55], "male": [NA, NA, 60, 150],
                             "Total": [45, 70, 90, 205]},
                            index=["0-17", "18-64", "65+", "Total"]).astype("Int64")
    pd.testing.assert_frame_equal(out, expected)


def test_secondary_suppression_one_way_table_with_total():
    table = pd.DataFrame({"n": [4, 9, 30, 100]}, index=list("ABCD"))
    out = sdc.protect_table(table)
    # Column total 143 published; hiding only A (4) lets 143 - 9 - 30 - 100 recover it, so the
    # next smallest (9) is hidden too.
    assert values(out["n"]) == [None, None, 30, 100, 145]


def test_opensafely_table_totals_are_sums_of_rounded_cells():
    table = pd.DataFrame({"a": [3, 20], "b": [40, 52]}, index=["x", "y"])
    out = sdc.protect_table(table, "opensafely")
    # cells: <NA> 40 / 20 50; totals from published cells: 40, 70 / 20, 90, 110
    assert values(out.loc["x"]) == [None, 40, 40]
    assert values(out.loc["y"]) == [20, 50, 70]
    assert values(out.loc["Total"]) == [20, 90, 110]


def test_no_margins_no_secondary():
    table = pd.DataFrame({"a": [3, 20], "b": [40, 52]})
    out = sdc.protect_table(table, margins=False)
    assert values(out["a"]) == [None, 20] and values(out["b"]) == [40, 50]


# The gate ------------------------------------------------------------------------------------
def test_check_finds_small_counts_and_ignores_dimensions():
    df = pd.DataFrame({"imd_decile": [1, 2], "month": [3, 4], "patients": [6, 40],
                       "pct_seen": [5.0, 7.0], "site": ["RAJ01", "RAJ02"]})
    found = sdc.check(df)
    assert found.to_dict("records") == [{"row": 0, "column": "patients", "value": 6}]
    with pytest.raises(sdc.DisclosureError, match="1 cell"):
        sdc.gate(df)
    assert sdc.check(df, exclude=["patients"]).empty
    assert len(sdc.check(df, counts=["imd_decile"])) == 2


def test_check_reads_counts_written_as_text():
    df = pd.DataFrame({"n": ["*", "3", "40"]})
    assert sdc.check(df).to_dict("records") == [{"row": 1, "column": "n", "value": 3}]


def test_gate_passes_safe_output_through():
    df = sdc.hes(breakdown(), ["attendances", "admitted"])
    assert sdc.gate(df) is df


# Bad input: clear errors ---------------------------------------------------------------------
@pytest.mark.parametrize("bad, message", [
    ([-1], "negative"),
    ([2.5], "whole numbers"),
    (["ten"], "not a number"),
    ([float("inf")], "infinite"),
    ([True, False], "booleans"),
])
def test_bad_counts_rejected(bad, message):
    with pytest.raises(sdc.SDCError, match=message):
        sdc.hes_counts(bad)


def test_bad_dataframe_arguments():
    with pytest.raises(sdc.SDCError, match="not in the table"):
        sdc.hes(breakdown(), ["nope"])
    with pytest.raises(sdc.SDCError, match="DataFrame"):
        sdc.hes([1, 2], ["a"])
    with pytest.raises(sdc.SDCError, match="need `people`"):
        sdc.hes(breakdown(), ["attendances"], stats=["mean_los_days"])
    with pytest.raises(sdc.SDCError, match="unknown SDC rule"):
        sdc.apply(breakdown(), ["attendances"], "lenient")
    with pytest.raises(sdc.SDCError, match="non-empty"):
        sdc.protect_table(pd.DataFrame())
    with pytest.raises(sdc.SDCError, match="per must be"):
        sdc.rate([10], [20], per=-100)
    with pytest.raises(sdc.SDCError, match="dp must be"):
        sdc.rate([10], [20], dp=2.5)
    with pytest.raises(sdc.SDCError, match="missing counts"):
        sdc.protect_table(pd.DataFrame({"a": [1, None]}))


def test_hostile_column_names_are_just_names():
    df = pd.DataFrame({"n'; DROP TABLE person; --": [3, 50]})
    out = sdc.hes(df, ["n'; DROP TABLE person; --"])
    assert values(out.iloc[:, 0]) == [None, 50]


def test_large_input_is_vectorised():
    counts = np.arange(2_000_000) % 100
    out = sdc.hes_counts(counts)
    assert len(out) == 2_000_000 and out.isna().sum() == 2_000_000 // 100 * 7


# Properties: no published cell is ever 1-7 ---------------------------------------------------
counts_st = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(counts_st)
def test_property_rules_never_publish_1_to_7(xs):
    for out in (sdc.hes_counts(xs), sdc.opensafely_counts(xs)):
        shown = out.dropna().to_numpy()
        assert not ((shown >= 1) & (shown <= 7)).any()
        assert (shown % 5 == 0).all()
        assert (np.abs(shown - np.asarray(xs)[out.notna().to_numpy()]) <= 2).all()
        # applying the rule again changes nothing (published tables can be re-checked)
        again = sdc.suppress_counts(out, "hes")
        assert values(again) == values(out)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 6).flatmap(lambda ncol: st.lists(
    st.lists(st.integers(0, 60), min_size=ncol, max_size=ncol), min_size=1, max_size=8)))
def test_property_protected_tables(rows):
    table = pd.DataFrame(rows, columns=[f"c{i}" for i in range(len(rows[0]))])
    for rule in ("hes", "opensafely"):
        out = sdc.protect_table(table, rule)
        assert sdc.check(out, counts=list(out.columns)).empty
    out = sdc.protect_table(table, "hes")
    hidden = out.isna().to_numpy()
    # secondary suppression: no row or column line (margins included) has exactly one hidden
    if out.shape[1] > 1:
        assert not (hidden.sum(axis=1) == 1).any()
    if out.shape[0] > 1:
        assert not (hidden.sum(axis=0) == 1).any()


def test_check_reads_published_text_tables():
    df = pd.DataFrame({"pcn": ["North", "South", "East"], "people": ["1,250", "[REDACTED]", "6"],
                       "value": [3, 120, 45]})
    found = sdc.check(df)
    # "6" in people, and 3 in `value` (a metric's headline may be a count)
    assert found.to_dict("records") == [{"row": 2, "column": "people", "value": 6.0},
                                        {"row": 0, "column": "value", "value": 3.0}]
    assert sdc.check(pd.DataFrame({"note": ["see 3 below", "7"]})).empty   # free text
    assert sdc.check(pd.DataFrame({"site": ["01", "3"], "department_type": [1, 3]})).empty
    # a metric broken down by decile: the group labels are not counts
    assert sdc.check(pd.DataFrame({"group": ["1", "2"], "attendances": [40, 55]})).empty


def test_check_accepts_a_series():
    s = pd.Series([40, 3], index=["F81001", "F81002"], name="patients")
    assert sdc.check(s).to_dict("records") == [{"row": "F81002", "column": "patients",
                                                "value": 3.0}]
