"""Writers and defects on small hand-made inputs: JSON lines, date text, provider codes, the
impossible dates, and which column each defect kind touches."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from agora import model
from agora.feeds import BY_NAME, FEEDS
from agora.synth import defects, writers


@pytest.mark.parametrize("value", ['plain', 'quote " inside', "back\\slash", "new\nline",
                                   "tab\tand\rcr", "Zoë Brontë", "'; DROP TABLE x; --",
                                   "{\"json\": [1]}", "x" * 100_000, ""])
def test_json_lines_round_trip_hostile_text(value):
    table = pa.table({"a": [value, None], "b c": ["1", "2"]})
    lines = writers.json_lines(table).splitlines()
    assert [json.loads(x) for x in lines] == [{"a": value, "b c": "1"}, {"a": None, "b c": "2"}]


def test_json_lines_of_no_rows_is_empty():
    assert writers.json_lines(pa.table({"a": pa.array([], pa.string())})) == ""


def test_date_text_in_provider_formats():
    ts = np.array(["2025-04-01T09:05:07", "NaT", "2026-12-31T23:59:59"], dtype="datetime64[s]")
    assert writers.text_dates(ts, "%d/%m/%Y %H:%M:%S").to_pylist() == \
        ["01/04/2025 09:05:07", None, "31/12/2026 23:59:59"]
    assert writers.text_dates(ts, "%Y%m%d").to_pylist() == ["20250401", None, "20261231"]
    assert writers.text_dates(ts, "%Y").to_pylist() == ["2025", None, "2026"]
    with pytest.raises(ValueError, match="unsupported"):
        writers.text_dates(ts, "%b %Y")


def test_model_values_go_back_to_provider_codes():
    vmap = {"5": "attended", "6": "attended", "3": "dna"}
    text = pa.array(["attended", "dna", None, "attended"])
    out = writers.provider_codes(text, vmap, np.random.default_rng(0)).to_pylist()
    assert out[1] == "3" and out[2] is None and {out[0], out[3]} <= {"5", "6"}
    with pytest.raises(ValueError, match="no provider code"):
        writers.provider_codes(pa.array(["other"]), vmap, np.random.default_rng(0))


def test_booleans_and_numbers_as_text():
    col = model.Column("x", "BOOLEAN", "")
    assert writers.text_values(pd.Series([True, False, None]), col).to_pylist() == \
        ["true", "false", None]
    num = model.Column("q", "DOUBLE", "")
    assert writers.text_values(pd.Series([28.0, 12.346, np.nan]), num).to_pylist() == \
        ["28", "12.35", None]


def test_impossible_dates_in_each_format():
    assert defects.bad_date_text("%d/%m/%Y %H:%M:%S", 2025, 0) == "31/02/2025 12:00:00"
    assert defects.bad_date_text("%Y%m%d", 2025, 1) == "20251315"
    assert defects.bad_date_text("%Y-%m-%d", 2026, 0) == "2026-02-31"


def test_defect_targets_worked_by_hand():
    ecds = defects.targets(BY_NAME["raj_ecds"])
    assert ecds.missing == "SiteCode"
    assert ecds.bad_date == ("ArrivalDateTime", "%d/%m/%Y %H:%M:%S")
    assert ecds.out_of_range == ("Acuity", "9")                # model max 5, plus 4
    assert ecds.unknown == ("ArrivalMode", "arrival_mode")     # first value-mapped column
    assert ecds.order == ("arrival_at", "departure_at")
    reg = defects.targets(BY_NAME["gpa_registrations"])
    assert reg.missing == "Sex" and reg.correctable is None     # snapshots are not corrected
    meds = defects.targets(BY_NAME["gpb_medications"])
    assert meds.out_of_range == ("MedicationQuantity", "-3.00")
    mh = defects.targets(BY_NAME["r1l_mhsds_spells"])
    assert mh.bad_date is not None and mh.bad_date[0] == "PersonBirthDate"   # dates are native


@pytest.mark.parametrize("f", FEEDS, ids=lambda f: f.name)
def test_every_feed_gets_quarantine_defects(f):
    t = defects.targets(f)
    assert t.missing and (t.bad_date or f.name == "raj_beds" or f.format == "parquet")
    assert sum(x is not None for x in (t.bad_date, t.out_of_range, t.unknown, t.order)) >= 1


def test_every_defect_kind_is_defined_in_the_contract():
    import agora.synth as synth
    for kind in defects.QUARANTINE + defects.REPAIR:
        assert f"- {kind}" in synth.__doc__ or f" {kind} " in synth.__doc__ or \
            f"{kind} (" in synth.__doc__, kind
    assert set(defects.QUARANTINE).isdisjoint(defects.REPAIR)
