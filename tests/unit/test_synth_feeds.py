"""Feed declarations against the common data model: what ingestion relies on."""
from __future__ import annotations

import re

import pytest

from agora import model
from agora.feeds import BY_NAME, FEEDS, Feed, feed, feed_for_file

DERIVED = {"person_id", "id_from_local", "age_at_arrival", "age_on_admission", "is_emergency"}
READERS = {"csv", "parquet", "jsonl"}


@pytest.mark.parametrize("f", FEEDS, ids=lambda f: f.name)
def test_feed_maps_every_model_column_it_should(f: Feed):
    table = model.table(f.table)
    names = {c.name for c in table.columns}
    assert set(f.columns) <= names
    unmapped = {c.name for c in table.columns} - set(f.columns) - DERIVED
    assert not unmapped, f"{f.name} leaves {unmapped} unmapped"
    assert f.format in READERS and re.fullmatch(r"[a-z0-9_]+", f.name)
    assert len(f.provider_columns) == len(set(f.provider_columns))
    assert f.org_code and f.record_key and set(f.record_key) <= set(f.provider_columns)


@pytest.mark.parametrize("f", FEEDS, ids=lambda f: f.name)
def test_codes_formats_and_orders_name_real_columns(f: Feed):
    table = model.table(f.table)
    person = model.table("person")
    for col, vmap in f.value_maps.items():
        c = (person if col in f.person else table).column(col)
        if c.allowed:
            assert set(vmap.values()) <= set(c.allowed), (f.name, col)
        if c.type == "BOOLEAN":
            assert set(vmap.values()) <= {"true", "false"}
    for col, fmt in f.date_formats.items():
        assert col in f.columns or col in f.person or col in ("date_of_birth", "procedure_date")
        assert re.fullmatch(r"(%[YmdHMS]|[^%])+", fmt), fmt
    for earlier, later in f.time_order:
        assert earlier in f.columns and later in f.columns
    for u in f.unpivot:
        child = model.table(u.table)
        child.column(u.value), child.column(u.position)
        assert set(u.key) <= {c.name for c in child.columns}
        for mc, provs in u.parallel.items():
            assert len(provs) == len(u.columns) and child.column(mc)
    if f.person:
        assert f.table == "gp_registration" and f.date_of_birth and f.postcode


def test_every_setting_and_provider_writes_its_own_way():
    tables = {f.table for f in FEEDS}
    assert tables >= {"ae_attendance", "apc_spell", "op_appointment", "rtt_pathway",
                      "cancer_pathway", "ambulance_incident", "gp_registration", "gp_event",
                      "gp_medication", "gp_appointment", "community_referral",
                      "community_contact", "mh_referral", "mh_contact", "mh_spell",
                      "social_care_event", "bed_daily"}
    councils = [f for f in FEEDS if f.table == "social_care_event"]
    assert {f.org_code for f in councils} == {"E10000012", "E06000033", "E06000034"}
    assert len({(f.format, str(sorted(f.read_options.items())),
                 str(sorted(f.date_formats.items()))) for f in councils}) == 3
    gp = {f.name.split("_")[0]: f.format for f in FEEDS if f.table.startswith("gp_")}
    assert gp == {"gpa": "csv", "gpb": "jsonl"}


def test_feed_lookup_by_name_and_file():
    assert feed("raj_apc") is BY_NAME["raj_apc"]
    with pytest.raises(KeyError, match="no feed"):
        feed("nope")
    assert feed_for_file("raj_ecds_2025-04.csv").name == "raj_ecds"
    assert feed_for_file("r1l_mhsds_contacts_2025-04.parquet").name == "r1l_mhsds_contacts"
    assert feed_for_file("gpa_events_2025-04.csv").name == "gpa_events"
    assert feed_for_file("unknown_2025-04.csv") is None
    assert feed_for_file("../raj_ecds") is None
