"""Data quality checks on a real store snapshot, and the issues register (DQIR) workflow, its
CLI and its bad-input handling."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner

from agora import dq, model, store
from agora.cli import main
from agora.dq import checks, register

PID = "a" * 64
AE = ("INSERT INTO ae_attendance (attendance_id, person_id, id_from_local, site_code, "
      "department_type, arrival_at, departure_at, acuity, source_org_code, load_batch_id, "
      "loaded_at) VALUES (?, ?, false, 'RAJ01', ?, ?, ?, ?, 'RAJ', ?, now())")


def load(con, batch, rows, finished_at=None):
    con.execute("INSERT INTO load_batch VALUES (?, 'raj_ecds', 'RAJ', ?, ?, 'loaded', ?, ?, 0, "
                "NULL, now(), ?)", [batch, f"raj_ecds_{batch}.csv", f"{batch:064x}", len(rows),
                                    len(rows), finished_at or datetime.now()])
    for r in rows:
        con.execute(AE, [*r[:6], batch])


# Three rows worked by hand: row 2 has an invalid department type (07), no departure and acuity
# 9 (> 5); row 3 has a malformed person_id; row 1 departs before it arrives.
ROWS = [("1", PID, "01", "2025-01-01 10:00", "2025-01-01 09:00", 3),
        ("2", PID, "07", "2025-01-01 10:00", None, 9),
        ("3", "not-a-pseudonym", "01", "2025-01-01 10:00", "2025-01-01 12:00", 2)]


@pytest.fixture
def snapshot(agora_env):
    with store.write() as build:
        load(build.con, 1, ROWS)
        load(build.con, 2, [("4", PID, "01", "2025-02-01 10:00", "2025-02-01 11:00", 1)])
    return agora_env


def failing(con, batch=1):
    return dict(con.execute("SELECT check_id, rows_failed FROM dq_result WHERE rows_failed > 0 "
                            "AND load_batch_id = ? AND table_name = 'ae_attendance'",
                            [batch]).fetchall())


def test_checks_generated_from_the_model():
    ids = {c.check_id for c in checks.checks_for(model.table("ae_attendance"))}
    assert "completeness:ae_attendance.arrival_at" in ids          # required
    assert "completeness:ae_attendance.departure_at" in ids        # important (rules.IMPORTANT)
    assert "validity:ae_attendance.department_type:allowed" in ids
    assert "validity:ae_attendance.site_code:pattern" in ids
    assert "validity:ae_attendance.acuity:min" in ids and "validity:ae_attendance.acuity:max" in ids
    assert "consistency:ae_attendance.departure_before_arrival" in ids
    assert "completeness:ae_attendance.seen_at" not in ids          # optional, not important


def test_post_load_hook_writes_dq_result(snapshot):
    con = store.connect()
    assert failing(con) == {
        "validity:ae_attendance.department_type:allowed": 1,
        "completeness:ae_attendance.departure_at": 1,
        "validity:ae_attendance.acuity:max": 1,
        "validity:ae_attendance.person_id:pattern": 1,
        "consistency:ae_attendance.departure_before_arrival": 1,
        # never sent by these test rows
        "completeness:ae_attendance.initial_assessment_at": 3,
        "completeness:ae_attendance.discharge_destination": 3,
        "completeness:ae_attendance.age_at_arrival": 3,
    }
    rows = con.execute("SELECT DISTINCT rows_checked FROM dq_result WHERE load_batch_id = 1 "
                       "AND table_name = 'ae_attendance'").fetchall()
    assert rows == [(3,)]
    # timeliness: raj_ecds just loaded (passes); a declared feed never loaded fails
    t = dict(con.execute("SELECT check_id, rows_failed FROM dq_result "
                         "WHERE check_id LIKE 'timeliness:%'").fetchall())
    assert t["timeliness:raj_ecds"] == 0
    assert set(t.values()) <= {0, 1}


def test_timeliness_late_feed(agora_env):
    import duckdb
    con = duckdb.connect()
    for t in model.TABLES:
        con.execute(t.ddl())
    load(con, 1, [], finished_at=datetime.now() - timedelta(days=40))
    res = checks.timeliness(con).set_index("check_id")
    assert res.loc["timeliness:raj_ecds", "rows_failed"] == 1         # 40 days > 35 expected
    res = checks.timeliness(con, now=datetime.now() - timedelta(days=10)).set_index("check_id")
    assert res.loc["timeliness:raj_ecds", "rows_failed"] == 0


def test_summary_by_org(snapshot):
    s = dq.summary()
    ae = s["results"].set_index(["table_name", "dimension"]).loc[("ae_attendance", "consistency")]
    # 2 consistency rules x 4 rows (batches 1 and 2); 1 row fails
    assert (ae["checks"], ae["rows_checked"], ae["rows_failed"]) == (2, 8, 1)
    assert ae["pct_rows_failed"] == 12.5
    assert s["checks_failing"] >= 5 and s["open_issues"] == 0
    other = dq.summary(org="RYC")
    assert "ae_attendance" not in set(other["results"]["table_name"])
    with pytest.raises(dq.DQIRError):
        dq.summary(org="'; drop table dq_result; --")


def test_register_workflow_and_copy_into_snapshot(agora_env):
    n = dq.log("Departure times missing at RAJ01", who="steward1", table="ae_attendance",
               org="raj", note="about 2% of March attendances")
    assert n == 1 and dq.get(n)["status"] == "logged" and dq.get(n)["source_org_code"] == "RAJ"
    dq.triage(n, "steward1", "confirmed in the feed")
    dq.prioritise(n, "high", "lead1")
    dq.update(n, "fixing", "steward2", "supplier asked to resend")
    dq.update(n, "fixed", "steward2")
    row = dq.close(n, "steward1", "resent file loaded")
    assert row["status"] == "closed" and row["priority"] == "high"
    assert "resent file loaded" in row["notes"] and "confirmed in the feed" in row["notes"]
    assert list(dq.history(n)["to_status"]) == ["logged", "triaged", "prioritised", "fixing",
                                                 "fixed", "closed"]
    m = dq.log("Acuity 9 sent", who="steward1")
    assert list(dq.issues(open_only=True)["issue_id"]) == [m]
    with store.write():
        pass
    copied = store.connect().execute("SELECT issue_id, status FROM dq_issue ORDER BY 1").fetchall()
    assert copied == [(1, "closed"), (2, "logged")]
    assert dq.summary()["open_issues"] == 1


@pytest.mark.parametrize("steps, to, message", [
    ([], "fixed", "cannot move to fixed"),
    ([], "prioritised", "cannot move to prioritised"),
    (["triaged"], "prioritised", "give a priority"),
    ([], "closed", "say why"),
    ([], "done", "status must be one of"),
])
def test_illegal_transitions(agora_env, steps, to, message):
    n = dq.log("An issue", who="steward1")
    for s in steps:
        dq.update(n, s, "steward1")
    with pytest.raises(dq.DQIRError, match=message):
        dq.update(n, to, "steward1")
    assert dq.get(n)["status"] == (steps[-1] if steps else "logged")   # unchanged


@pytest.mark.parametrize("kwargs, message", [
    ({"title": ""}, "title is required"),
    ({"title": "x" * 201}, "at most 200"),
    ({"title": "bell\x07"}, "control characters"),
    ({"title": 42}, "must be text"),
    ({"who": "robert'); drop table dq_issue;--"}, "not a user name"),
    ({"table": "passwords"}, "not a table"),
    ({"org": "R A J"}, "not an ODS"),
    ({"note": "n" * 4001}, "at most 4000"),
])
def test_log_rejects_bad_input(agora_env, kwargs, message):
    args = {"title": "Fine title", "who": "steward1", **kwargs}
    with pytest.raises(dq.DQIRError, match=message):
        dq.log(**args)
    assert dq.issues().empty


def test_hostile_text_is_stored_verbatim(agora_env):
    title = "Robert'); DROP TABLE dq_issue; -- \u00e9\u4e2d"
    n = dq.log(title, who="steward1")
    assert dq.get(n)["title"] == title and len(dq.issues()) == 1


@pytest.mark.parametrize("bad", ["x", 0, -3, 2**63, 1.5, None])
def test_bad_issue_numbers(agora_env, bad):
    with pytest.raises(dq.DQIRError):
        dq.get(bad)


def test_unknown_issue(agora_env):
    with pytest.raises(dq.DQIRError, match="no issue 7"):
        dq.update(7, "triaged", "steward1")


def test_cli(snapshot):
    run = CliRunner().invoke
    r = run(main, ["dq", "log", "Acuity out of range", "--table", "ae_attendance", "--org",
                   "RAJ", "--by", "steward1"])
    assert r.exit_code == 0 and "Logged issue 1" in r.output
    assert run(main, ["dq", "triage", "1", "--by", "steward1"]).exit_code == 0
    r = run(main, ["dq", "update", "1", "--status", "fixed", "--by", "steward1"])
    assert r.exit_code == 1 and "cannot move to fixed" in r.output
    r = run(main, ["dq", "update", "1", "--status", "prioritised", "--priority", "medium",
                   "--by", "steward1"])
    assert r.exit_code == 0 and "medium priority" in r.output
    r = run(main, ["dq", "list", "--open"])
    assert r.exit_code == 0 and "Acuity out of range" in r.output
    r = run(main, ["dq", "check", "--table", "ae_attendance", "--failing"])
    assert r.exit_code == 0 and "departure_before_arrival" in r.output
    assert run(main, ["dq", "check", "--table", "nope"]).exit_code == 2
    assert run(main, ["dq", "update", "x", "--status", "fixed"]).exit_code == 2
    assert run(main, ["dq", "update", "1", "--status", "finished"]).exit_code == 2
    r = run(main, ["dq", "log", "", "--by", "steward1"])
    assert r.exit_code == 1 and "title is required" in r.output
    for sub in ("check", "log", "triage", "update", "list"):
        assert run(main, ["dq", sub, "--help"]).exit_code == 0


def test_check_without_a_store(agora_env):
    r = CliRunner().invoke(main, ["dq", "check"])
    assert r.exit_code == 1 and "no store snapshot" in r.output


def hold_register(seconds: float):
    """Another process holding the register read-write for `seconds`."""
    import subprocess
    import sys
    code = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
            "time.sleep(float(sys.argv[2]))")
    proc = subprocess.Popen([sys.executable, "-c", code, str(register.path()), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_register_waits_for_another_writer(agora_env):
    dq.log("First", who="steward1")
    proc = hold_register(1.0)
    try:
        assert dq.log("Second", who="steward2") == 2     # waited for the lock, then wrote
    finally:
        proc.wait(timeout=30)


def test_register_busy_gives_a_clear_error(agora_env, monkeypatch):
    dq.log("First", who="steward1")
    monkeypatch.setattr(register, "BUSY_WAIT_S", 0.3)
    proc = hold_register(5.0)
    try:
        with pytest.raises(dq.DQIRBusy, match="busy"):
            dq.log("Second", who="steward2")
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert len(dq.issues()) == 1


def test_publish_goes_ahead_while_the_register_is_busy(agora_env, monkeypatch):
    dq.log("Logged before the load", who="steward1")
    with store.write():
        pass
    dq.log("Logged during the load", who="steward1")
    monkeypatch.setattr(register, "BUSY_WAIT_S", 0.3)
    proc = hold_register(120.0)          # killed as soon as the publish is done
    try:
        with pytest.warns(UserWarning, match="not copied"):
            with store.write():
                pass
    finally:
        proc.kill()
        proc.wait(timeout=30)
    # the new snapshot kept the previous copy; the next publish brings it up to date
    assert store.connect().execute("SELECT count(*) FROM dq_issue").fetchone() == (1,)
    with store.write():
        pass
    assert store.connect().execute("SELECT count(*) FROM dq_issue").fetchone() == (2,)
