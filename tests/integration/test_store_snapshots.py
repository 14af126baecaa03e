"""Snapshots: atomic publish, readers never blocked, failed or killed loads change nothing."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from agora import store
from agora.cli import main
from agora.ingest import ingest

from ingest_files import data_counts, ecds_row, query, write_ecds

HERE = Path(__file__).parent


@pytest.fixture(autouse=True)
def no_hooks(monkeypatch):
    monkeypatch.setattr(store.hooks, "POST_LOAD", [])


def month(src, period: str, n: int, prefix: str) -> Path:
    return write_ecds(src, period, [ecds_row(AttendanceIdentifier=f"{prefix}{i}")
                                    for i in range(n)])


def start_load(src: Path, tmp_path: Path, hooks=("ingest_files:pause_hook",)):
    """`agora ingest` in another process whose post-load hook pauses until released."""
    paused, release = tmp_path / "paused", tmp_path / "release"
    code = ("import sys; sys.path.insert(0, sys.argv[1]);"
            "import agora.store.hooks as h; h.POST_LOAD[:] = sys.argv[3:];"
            "from agora.cli import main; main(['ingest', '-q', sys.argv[2]])")
    env = {**os.environ, "AGORA_TEST_PAUSED": str(paused), "AGORA_TEST_RELEASE": str(release)}
    proc = subprocess.Popen([sys.executable, "-c", code, str(HERE), str(src), *hooks], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for _ in range(600):
        if paused.exists() or proc.poll() is not None:
            break
        time.sleep(0.05)
    assert paused.exists(), proc.communicate()
    return proc, release


def test_no_snapshot_yet_is_a_clear_error(agora_env):
    with pytest.raises(store.NoSnapshot, match="run `agora ingest DIR` first"):
        store.connect()


def test_published_snapshots_are_read_only(agora_env, tmp_path):
    month(tmp_path / "src", "2025-04", 2, "A")
    ingest(tmp_path / "src")
    with pytest.raises(store.StoreError, match="read-only"):
        store.connect(read_only=False)
    con = store.connect()
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM ae_attendance")
    con.close()


def test_kill_9_during_load_leaves_current_snapshot_then_rerun_publishes(agora_env, tmp_path):
    src = tmp_path / "src"
    month(src, "2025-04", 3, "A")
    ingest(src)
    before_path, before = store.current_path(), data_counts()
    month(src, "2025-05", 4, "B")
    proc, _ = start_load(src, tmp_path)
    building = list((before_path.parent.parent).glob(".build-*"))
    assert building, "the load was building its snapshot when killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert store.current_path() == before_path and data_counts() == before
    result = ingest(src)                         # re-run: cleans up and loads the new month
    assert [b.status for b in result.batches] == ["skipped", "loaded"]
    assert not list(before_path.parent.parent.glob(".build-*"))
    assert data_counts()["ae_attendance"] == before["ae_attendance"] + 4


def test_readers_during_a_load_see_the_old_snapshot_and_are_not_blocked(agora_env, tmp_path):
    src = tmp_path / "src"
    month(src, "2025-04", 3, "A")
    ingest(src)
    reader = store.connect()                     # opened before the load
    month(src, "2025-05", 4, "B")
    proc, release = start_load(src, tmp_path)
    try:
        # mid-load: an open reader and a newly opened reader both read the old snapshot
        assert reader.execute("SELECT count(*) FROM ae_attendance").fetchone() == (3,)
        fresh = store.connect()
        assert fresh.execute("SELECT count(*) FROM ae_attendance").fetchone() == (3,)
        fresh.close()
        # a second load meanwhile is refused, not queued behind or mixed in
        with pytest.raises(store.StoreBusy, match="another load is running"):
            ingest(src)
    finally:
        release.touch()
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert reader.execute("SELECT count(*) FROM ae_attendance").fetchone() == (3,)
    reader.close()
    assert query("SELECT count(*) FROM ae_attendance", restricted=False) == [(7,)]


def test_failed_hook_publishes_nothing(agora_env, tmp_path, monkeypatch):
    src = tmp_path / "src"
    month(src, "2025-04", 3, "A")
    ingest(src)
    before_path = store.current_path()
    month(src, "2025-05", 2, "B")
    monkeypatch.setattr(store.hooks, "POST_LOAD", ["json:loads"])   # fails on a connection
    with pytest.raises(store.HookFailed, match="json:loads"):
        ingest(src)
    assert store.current_path() == before_path
    assert query("SELECT count(*) FROM ae_attendance") == [(3,)]
    assert not list(before_path.parent.parent.glob(".build-*"))


def _count_hook(con) -> None:
    con.execute("CREATE OR REPLACE TABLE hook_seen AS SELECT count(*) AS n FROM ae_attendance")


def test_hooks_run_on_the_new_snapshot_before_publish(agora_env, tmp_path, monkeypatch):
    monkeypatch.setattr(store.hooks, "POST_LOAD", [f"{__name__}:_count_hook"])
    month(tmp_path / "src", "2025-04", 3, "A")
    ingest(tmp_path / "src")
    assert query("SELECT n FROM hook_seen", restricted=False) == [(3,)]


def test_retention_keeps_the_last_snapshots(agora_env, tmp_path, monkeypatch):
    monkeypatch.setenv("AGORA_SNAPSHOTS_KEPT", "2")
    src = tmp_path / "src"
    for i, period in enumerate(["2025-04", "2025-05", "2025-06", "2025-07"]):
        month(src, period, 1, f"M{i}")
        ingest(src)
    snaps = store.current_path().parent.parent
    assert sorted(p.name for p in snaps.iterdir()) == ["3", "4"]
    assert store.current_path().parent.name == "4"


def test_write_api_publishes_changes(agora_env):
    with store.write(run_hooks=False) as build:
        build.con.execute("INSERT INTO dq_issue (issue_id, title, status, raised_at) "
                          "VALUES (1, 'test', 'logged', now())")
    assert query("SELECT title FROM dq_issue", restricted=False) == [("test",)]


def test_store_info_cli(agora_env, tmp_path):
    month(tmp_path / "src", "2025-04", 3, "A")
    ingest(tmp_path / "src")
    r = CliRunner().invoke(main, ["store", "info"], env={"COLUMNS": "250"})
    assert r.exit_code == 0, r.output
    assert "snapshot 1" in r.output and "ae_attendance" in r.output
    assert "raj_ecds_2025-04.csv" in r.output


def test_store_info_without_snapshot(agora_env):
    r = CliRunner().invoke(main, ["store", "info"])
    assert r.exit_code == 1 and "run `agora ingest DIR` first" in r.output
