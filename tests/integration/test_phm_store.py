"""Population health on a real store: synthetic feeds, ingestion, and the post-load rebuild of
person_condition and person_risk in every published snapshot."""
from __future__ import annotations

import duckdb
import pytest
from click.testing import CliRunner

from agora.cli import main
from agora.phm import ageing_well, definitions

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def analyst(small_store):
    con = duckdb.connect(str(small_store.analyst), read_only=True)
    yield con
    con.close()


def test_every_person_has_measures(analyst):
    people, scored, in_risk = analyst.execute(
        "SELECT (SELECT count(*) FROM person), count(risk_score), count(*) "
        "FROM person_risk").fetchone()
    alive = analyst.execute("SELECT count(*) FROM person WHERE death_date IS NULL OR death_date "
                            "> (SELECT max(as_of) FROM person_risk)").fetchone()[0]
    assert people > 0 and in_risk == alive
    assert analyst.execute("SELECT count(*) FROM person_risk r ANTI JOIN person p "
                           "USING (person_id)").fetchone() == (0,)


def test_measures_respect_their_definitions(analyst):
    segments = {s for s, _ in definitions.SEGMENTS}
    rows = analyst.execute("SELECT DISTINCT segment FROM person_risk").fetchall()
    assert {r[0] for r in rows} <= segments
    assert analyst.execute("SELECT count(*) FROM person_risk WHERE (age < 65) <> (efi IS NULL)"
                           ).fetchone() == (0,)
    assert analyst.execute("SELECT count(*) FROM person_risk WHERE efi_deficits > 36 OR cms < 0"
                           ).fetchone() == (0,)
    conditions = {r[0] for r in analyst.execute(
        "SELECT DISTINCT condition FROM person_condition").fetchall()}
    assert {"diabetes", "hypertension"} <= conditions


def test_opted_out_people_are_not_in_the_analyst_copy(small_store, analyst):
    restricted = duckdb.connect(str(small_store.restricted), read_only=True)
    opted = {r[0] for r in restricted.execute(
        "SELECT person_id FROM person_risk JOIN person USING (person_id) WHERE opt_out"
    ).fetchall()}
    restricted.close()
    ids = {r[0] for r in analyst.execute("SELECT person_id FROM person_risk").fetchall()}
    assert not opted & ids


def test_ageing_well_cohort_from_the_store(analyst):
    cohort = ageing_well(analyst)
    assert (cohort["age"] >= 65).all() or cohort["end_of_life"].any()
    assert set(cohort.columns) >= {"person_id", "practice_code", "pcn_code", "frailty",
                                   "risk_tier"}


def test_ageing_well_on_the_notebook_connection(small_store_env, analyst):
    from agora import analyst_db
    try:
        cohort = ageing_well()
    finally:
        analyst_db.close()
    assert len(cohort) == analyst.execute(
        "SELECT count(*) FROM person_risk WHERE ageing_well").fetchone()[0]


def test_cli_on_the_current_snapshot(small_store_env):
    runner = CliRunner()
    result = runner.invoke(main, ["phm", "model"])
    assert "Emergency admission risk model" in result.output
    if result.exit_code == 0:
        assert "AUC" in result.output and "calibration" in result.output
    for command in (["phm", "summary"], ["phm", "cohort"]):
        result = runner.invoke(main, command)
        assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["phm", "rebuild", "--db", str(small_store_env.analyst)])
    assert result.exit_code != 0 and "read-only" in result.output
