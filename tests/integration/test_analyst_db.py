"""agora.connect() / agora.sql() on a real published store: read-only store, private scratch,
reopening after a new publish, opt-outs absent, bad and hostile input."""
from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

import agora
from agora import analyst_db, metrics, store

PERSON = ("INSERT INTO person (person_id, id_from_local, sex, birth_month, opt_out, "
          "source_org_code, load_batch_id, loaded_at) VALUES (?, false, ?, DATE '1960-01-01', ?, "
          "'F81001', 1, TIMESTAMP '2026-04-01 06:00:00')")
ATTENDANCE = ("INSERT INTO ae_attendance (attendance_id, person_id, id_from_local, site_code, "
              "department_type, arrival_at, departure_at, source_org_code, load_batch_id, "
              "loaded_at) VALUES (?, ?, false, 'RAJ01', '01', ?, ?, 'RAJ', 1, "
              "TIMESTAMP '2026-04-01 06:00:00')")


def publish(people=(), attendances=()):
    with store.write(run_hooks=False) as build:
        for row in people:
            build.con.execute(PERSON, list(row))
        for row in attendances:
            build.con.execute(ATTENDANCE, list(row))


@pytest.fixture
def published(agora_env):
    analyst_db.close()
    publish(people=[("a" * 64, "F", False), ("b" * 64, "M", True)],
            attendances=[("x1", "a" * 64, "2025-04-01 10:00:00", "2025-04-01 13:00:00"),
                         ("x2", "b" * 64, "2025-04-01 10:00:00", "2025-04-01 15:00:00")])
    yield agora_env
    analyst_db.close()


def test_sql_reads_the_analyst_snapshot_without_opted_out_people(published):
    df = agora.sql("SELECT person_id, sex FROM person ORDER BY person_id")
    assert list(df["sex"]) == ["F"]                   # the opted-out person is not there
    assert agora.sql("SELECT count(*) AS n FROM ae_attendance")["n"][0] == 1


def test_sql_binds_parameters(published):
    assert len(agora.sql("SELECT * FROM person WHERE sex = ?", ["F"])) == 1
    assert len(agora.sql("SELECT * FROM person WHERE sex = $sex", {"sex": "F"})) == 1
    hostile = "F' OR '1'='1"
    assert agora.sql("SELECT count(*) AS n FROM person WHERE sex = ?", [hostile])["n"][0] == 0
    assert agora.sql("SELECT count(*) AS n FROM person")["n"][0] == 1   # nothing dropped


def test_store_is_read_only_and_scratch_takes_new_tables(published):
    con = agora.connect()
    for statement in ("DELETE FROM person", "DROP TABLE store.person",
                      "CREATE TABLE store.mine AS SELECT 1 AS x"):
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute(statement)
    agora.sql("CREATE TABLE my_cohort AS SELECT person_id FROM person WHERE sex = ?", ["F"])
    assert agora.sql("SELECT database_name FROM duckdb_tables() WHERE table_name = 'my_cohort'"
                     )["database_name"].tolist() == ["scratch"]
    path = analyst_db.scratch_path()
    data, _key = published
    assert path == data / "scratch" / analyst_db.user_name() / "scratch.duckdb"
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_connection_is_cached_and_reopened_after_a_publish(published):
    first = agora.connect()
    assert agora.connect() is first
    agora.sql("CREATE TABLE kept AS SELECT 42 AS answer")
    publish(people=[("c" * 64, "F", False)])
    assert agora.sql("SELECT count(*) AS n FROM person")["n"][0] == 2
    second = agora.connect()
    assert second is not first
    with pytest.raises(duckdb.Error):
        first.execute("SELECT 1")                      # the old connection was closed
    assert agora.sql("SELECT answer FROM kept")["answer"][0] == 42   # scratch carried over


def test_metrics_run_on_the_process_connection(published):
    df = metrics.run("ae_4hour", period_start="2025-04-01", period_end="2025-04-30")
    assert df["attendances"].tolist() == [1] and df["value"].tolist() == [100.0]


def test_metrics_run_on_a_plain_store_connection(published):
    con = store.connect()
    try:
        df = metrics.run("ae_4hour", con, period_start="2025-04-01", period_end="2025-04-30")
    finally:
        con.close()
    assert df["value"].tolist() == [100.0]


def test_cursor_starts_in_scratch_like_the_connection(published):
    cur = analyst_db.cursor()
    cur.execute("CREATE TABLE from_cursor AS SELECT count(*) AS n FROM person")
    assert agora.sql("SELECT n FROM scratch.from_cursor")["n"][0] == 1


def test_scratch_held_by_another_session_leaves_the_store_readable(published):
    path = analyst_db.scratch_path()
    analyst_db.connect()
    analyst_db.close()                                   # scratch file exists, now free
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
         "print('ready', flush=True); sys.stdin.read()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.warns(analyst_db.ScratchWarning, match="open in another of your sessions"):
            con = agora.connect()
        assert agora.sql("SELECT count(*) AS n FROM person")["n"][0] == 1
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("CREATE TABLE nope AS SELECT 1")   # default schema is the store
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_unwritable_scratch_still_reads_the_store(published, monkeypatch):
    data, _key = published
    (data / "scratch").write_text("a file where the scratch folder should be")
    with pytest.warns(analyst_db.ScratchWarning, match="unavailable"):
        agora.connect()
    assert agora.sql("SELECT count(*) AS n FROM person")["n"][0] == 1


def test_planted_or_shared_scratch_file_is_refused(published):
    path = analyst_db.scratch_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    elsewhere = path.parent / "planted.duckdb"
    duckdb.connect(str(elsewhere)).close()
    path.symlink_to(elsewhere)
    with pytest.warns(analyst_db.ScratchWarning, match="not a private file"):
        agora.connect()
    assert agora.sql("SELECT count(*) AS n FROM person")["n"][0] == 1
    analyst_db.close()
    path.unlink()
    duckdb.connect(str(path)).close()
    path.chmod(0o644)                                  # readable by others: refused too
    with pytest.warns(analyst_db.ScratchWarning, match="not a private file"):
        agora.connect()


def test_no_snapshot_is_a_clear_error(agora_env):
    analyst_db.close()
    with pytest.raises(store.NoSnapshot, match="no store snapshot"):
        agora.sql("SELECT 1")


@pytest.mark.parametrize("query, params, error", [
    ("", None, ValueError), ("   ", None, ValueError), (None, None, ValueError),
    ("SELECT ?", "F", TypeError), ("SELECT ?", 5, TypeError),
])
def test_bad_sql_arguments(published, query, params, error):
    with pytest.raises(error):
        agora.sql(query, params)


def test_hostile_user_names_cannot_name_a_scratch_file(agora_env):
    for name in ("../../etc/passwd", "a/b", "", "x" * 65, "root;rm"):
        with pytest.raises(analyst_db.AccessError):
            analyst_db.scratch_path(name)


def test_user_name_comes_from_the_account_not_the_environment(agora_env, monkeypatch):
    monkeypatch.setenv("USER", "../../evil")
    monkeypatch.setenv("LOGNAME", "../../evil")
    assert analyst_db.user_name() != "../../evil"
    assert os.sep not in analyst_db.scratch_path().name


def test_import_agora_stays_light():
    out = subprocess.run([sys.executable, "-c", "import sys, agora; "
                          "print('duckdb' in sys.modules, 'pandas' in sys.modules)"],
                         capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
