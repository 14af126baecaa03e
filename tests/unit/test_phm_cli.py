"""`agora phm`: the risk model report and the rebuild, with good and bad input."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from agora import codelists, model
from agora.cli import main

GENERATOR = Path(__file__).parents[1] / "bench" / "phm_bench_data.sql"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A generated population of 3,000 people (the benchmark's generator)."""
    path = tmp_path_factory.mktemp("phm_cli") / "store.duckdb"
    con = duckdb.connect(str(path))
    for statement in model.ddl():
        con.execute(statement)
    con.register("bench_codes", codelists.all_codelists())
    params = {"n": 3000, "seed": 0.1}
    for statement in GENERATOR.read_text().split(";\n"):
        if statement.strip():
            con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement})
    con.close()
    return path


def run(*args):
    return CliRunner().invoke(main, ["phm", *map(str, args)])


def test_rebuild_then_model_summary_and_cohort(store, agora_env):
    result = run("rebuild", "--db", store, "--as-of", "2026-03-31")
    assert result.exit_code == 0, result.output
    assert "people" in result.output
    result = run("model", "--db", store, "--as-of", "2026-03-31")
    assert result.exit_code == 0, result.output
    for text in ("coefficients", "polypharmacy", "AUC", "calibration", "odds ratio"):
        assert text in result.output
    assert "frailty" in run("summary", "--db", store).output
    assert "Ageing Well cohort" in run("cohort", "--db", store).output
    assert run("cohort", "--db", store, "--practice", "F81001").exit_code == 0


@pytest.mark.parametrize("args, message", [
    (["model", "--db", "{db}", "--as-of", "2026-02-30"], "not a date"),
    (["model", "--db", "{db}", "--as-of", "'; DROP TABLE person; --"], "not a date"),
    (["model", "--db", "/nonexistent/store.duckdb"], "does not exist"),
    (["rebuild"], "Missing option '--db'"),
    (["cohort", "--db", "{db}", "--practice", "F" * 500], "practice must be"),
])
def test_bad_arguments_get_clear_errors(store, agora_env, args, message):
    result = run(*[str(store) if a == "{db}" else a for a in args])
    assert result.exit_code != 0 and message in result.output


def test_junk_file_is_refused(tmp_path, agora_env):
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"\x00\xff not a database" * 100)
    result = run("model", "--db", junk)
    assert result.exit_code == 1 and "cannot" in result.output
    assert junk.read_bytes().startswith(b"\x00\xff")


def test_not_a_store_is_refused(tmp_path, agora_env):
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).execute("CREATE TABLE t (a INTEGER)").close()
    result = run("rebuild", "--db", other)
    assert result.exit_code == 1 and "tables unchanged" in result.output
    result = run("summary", "--db", other)
    assert result.exit_code == 1 and "cannot read person_risk" in result.output
    con = duckdb.connect(str(other), read_only=True)
    assert [r[0] for r in con.execute("SHOW TABLES").fetchall()] == ["t"]


def test_published_snapshots_are_never_rebuilt(agora_env):
    data, _ = agora_env
    snapshot = data / "store" / "snapshots" / "1" / "analyst.duckdb"
    snapshot.parent.mkdir(parents=True)
    duckdb.connect(str(snapshot)).close()
    result = run("rebuild", "--db", snapshot)
    assert result.exit_code == 1 and "read-only" in result.output


def test_no_store_yet(agora_env):
    result = run("model")
    assert result.exit_code == 1 and "no store snapshot" in result.output
