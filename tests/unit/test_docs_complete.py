"""Docs that cannot fall behind: every store table and column, metric, setting, feed, codelist
code and population health definition carries a description, and the catalogue lists them all."""
from __future__ import annotations

import dataclasses

import pytest

from agora import codelists, config, feeds, model
from agora.catalogue import all_entries
from agora.phm import definitions
from agora.phm.risk import TERMS


def described(text) -> bool:
    return isinstance(text, str) and len(text.strip()) >= 3


@pytest.mark.parametrize("table", model.TABLES, ids=lambda t: t.name)
def test_every_store_table_and_column_is_described(table):
    assert described(table.description), f"table {table.name} has no description"
    missing = [c.name for c in table.all_columns if not described(c.description)]
    assert not missing, f"{table.name}: columns without a description: {missing}"


def test_every_metric_is_described_with_unit_direction_and_source():
    from agora.metrics import METRICS
    assert METRICS, "no metrics registered"
    for name, m in METRICS.items():
        assert described(m.description), f"metric {name} has no description"
        assert described(m.source), f"metric {name} has no source"
        assert m.unit and m.direction in ("higher", "lower"), name
        assert all(described(v) for v in m.parameters.values()), f"{name}: undescribed parameter"


def test_every_setting_is_described():
    missing = [s.name for s in config.SETTINGS if not described(s.help)]
    assert not missing, f"settings without help: {missing}"
    fields = {f.name for f in dataclasses.fields(config.Settings)}
    assert fields == {s.name for s in config.SETTINGS}, "Settings and SETTINGS differ"


def test_every_feed_is_described():
    assert not [f.name for f in feeds.FEEDS if not described(f.description)]


def test_every_codelist_code_is_described():
    frame = codelists.all_codelists()
    blank = frame[frame["description"].str.strip() == ""]
    assert blank.empty, f"codes without a description: {blank[['codelist', 'code']].values}"


def test_every_population_health_definition_is_described():
    assert all(described(r.description) for r in definitions.RULES)
    assert all(described(text) for _, text in definitions.SEGMENTS)
    assert all(described(text) for _, _, text in definitions.RISK_TIERS)
    assert all(described(text) for _, text in TERMS)
    # every codelist a definition refers to exists
    assert definitions.codelists_needed() <= set(codelists.names())


def test_catalogue_lists_everything():
    from agora.metrics import METRICS
    names = {(e.kind, e.name) for e in all_entries(fresh=True)}
    expected = ({("table", t.name) for t in model.TABLES} | {("metric", m) for m in METRICS}
                | {("codelist", c) for c in codelists.names()}
                | {("feed", f.name) for f in feeds.FEEDS})
    assert expected <= names, f"missing from the catalogue: {sorted(expected - names)}"
