"""The scheduler: one run per (entry, time) with two schedulers, kill -9 recovery, catch-up."""
from __future__ import annotations

import os
import subprocess
import time
from datetime import datetime, timedelta, timezone

import pytest

from agora.reports.history import open_history
from agora.reports.scheduler import Scheduler
from reports_helpers import AGORA, kill9, published_reports, reports_env, wait_for  # noqa: F401

UTC = timezone.utc


def fixed(t: datetime):
    return lambda: t


def test_catch_up_runs_each_entry_once_for_its_latest_missed_time(reports_env, tmp_path):
    _, path = reports_env
    path.write_text("reports:\n  - {name: hourly, template: empty, cron: '0 * * * *', "
                    "audience: partnership}\n")
    with Scheduler(now=fixed(datetime(2026, 3, 4, 3, 10, tzinfo=UTC))) as s:
        [c] = s.claim_due()
        assert (c.scheduled_time, s.history.get(c.run_id)["trigger"]) == (
            "2026-03-04T030000Z", "catch-up")
        assert s.claim_due() == []                       # claimed: not again
    # down from 03:10 to 06:30: 04:00, 05:00 and 06:00 were missed; only 06:00 runs
    with Scheduler(now=fixed(datetime(2026, 3, 4, 6, 30, tzinfo=UTC))) as s:
        [c] = s.claim_due()
        assert c.scheduled_time == "2026-03-04T060000Z"
    # on time: claimed within two minutes of 07:00 is a scheduled run
    with Scheduler(now=fixed(datetime(2026, 3, 4, 7, 0, 30, tzinfo=UTC))) as s:
        [c] = s.claim_due()
        assert s.history.get(c.run_id)["trigger"] == "schedule"
    # beyond the catch-up window nothing is run
    with Scheduler(now=fixed(datetime(2026, 3, 9, 7, 30, tzinfo=UTC)),
                   catchup=timedelta(minutes=10)) as s:
        assert s.claim_due() == []
    times = [r["scheduled_time"] for r in open_history().runs()]
    assert sorted(times) == ["2026-03-04T030000Z", "2026-03-04T060000Z", "2026-03-04T070000Z"]


@pytest.mark.slow
def test_claims_are_unique_across_processes(reports_env):
    """Four processes race to claim the same 4 (entry, time) pairs: each pair once."""
    code = ("from agora.reports.scheduler import Scheduler\n"
            "from datetime import datetime, timezone\n"
            "s = Scheduler(now=lambda: datetime(2026, 3, 4, 6, 5, tzinfo=timezone.utc),"
            " spare_kernels=False)\n"
            "print(len(s.claim_due()))\n"
            "s.close()\n")
    python = str(AGORA.with_name("python"))
    procs = [subprocess.Popen([python, "-c", code], stdout=subprocess.PIPE, text=True)
             for _ in range(4)]
    claimed = [int(p.communicate(timeout=600)[0].strip() or 0) for p in procs]
    assert sum(claimed) == 4
    rows = open_history().runs()
    assert len(rows) == 4 and len({(r["entry_id"], r["scheduled_time"]) for r in rows}) == 4


@pytest.mark.slow
def test_two_schedulers_at_once_do_not_double_run(reports_env):
    data, path = reports_env
    path.write_text("reports:\n" + "".join(
        f"  - {{name: e{i}, template: empty, cron: '* * * * *', audience: partnership, "
        f"parameters: {{label: r{i}}}}}\n" for i in range(6)))
    env = dict(os.environ, AGORA_REPORTS_WORKERS="1")
    procs = [subprocess.Popen([str(AGORA), "reports", "run", "--due"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=600)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    rows = open_history().runs(limit=1000)
    # a minute boundary may fall between the two starts: each (entry, time) still runs once
    assert len({(r["entry_id"], r["scheduled_time"]) for r in rows}) == len(rows)
    assert all(r["status"] == "succeeded" and r["attempts"] == 1 for r in rows)
    assert sum(o.count("succeeded") for o in outs) == len(rows) >= 6
    assert len(published_reports(data)) == len(rows)
    con = open_history().connect()
    assert con.execute("SELECT count(*) FROM attempts").fetchone()[0] == len(rows)


@pytest.mark.slow
def test_a_killed_run_is_never_half_published_and_is_rerun(reports_env, tmp_path):
    data, path = reports_env
    marker = tmp_path / "started"
    path.write_text("reports:\n  - {name: slow, template: slow, cron: '0 6 * * *', "
                    f"audience: partnership, parameters: {{seconds: 120, marker: '{marker}'}}, "
                    "retries: 1}\n")
    proc = subprocess.Popen([str(AGORA), "reports", "run", "--due"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        wait_for(marker.exists, timeout=180)        # the notebook is half-way: sleeping
        kernels = _children(proc.pid)
    finally:
        kill9(proc)
    assert kernels
    [row] = open_history().runs()
    assert row["status"] == "running"               # the claim of a dead process
    assert published_reports(data) == []
    work = data / "reports" / "_work"
    assert any(p.name[0].isdigit() for p in work.iterdir())   # its partial work folder
    # the orphaned kernels (the running one and the spare) notice their parent is gone and exit
    wait_for(lambda: not any(os.path.exists(f"/proc/{k}") for k in kernels), timeout=30)
    # restart: the stale claim is released and the run retried (the marker makes it quick now)
    with Scheduler() as s:
        outcomes = s.run_due()
    assert [o.status for o in outcomes] == ["succeeded"]
    [row] = open_history().runs()
    assert (row["status"], row["attempts"]) == ("succeeded", 2)
    attempts = open_history().attempts(row["run_id"])
    assert [a["status"] for a in attempts] == ["failed", "succeeded"]
    assert "interrupted" in attempts[0]["error"]
    assert len(published_reports(data)) == 1
    assert not any(p.name[0].isdigit() for p in work.iterdir())   # partial folder removed


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def test_a_dead_owner_with_no_attempts_left_is_marked_failed(reports_env):
    _, path = reports_env
    path.write_text("reports:\n  - {name: once, template: empty, cron: '0 6 * * *', "
                    "audience: partnership, retries: 0}\n")
    with Scheduler(now=fixed(datetime(2026, 3, 4, 6, 1, tzinfo=UTC)), spare_kernels=False) as s:
        [c] = s.claim_due()
        dead = "vm-that-is-gone:1:1"
        con = s.history.connect()
        con.execute("UPDATE runs SET status = 'running', attempts = 1, owner = ?, "
                    "heartbeat_at = ? WHERE run_id = ?", (dead, time.time() - 3600, c.run_id))
        assert s.recover() == 1
        row = s.history.get(c.run_id)
        assert row["status"] == "failed" and "interrupted" in row["error"]


@pytest.mark.slow
def test_serve_catches_up_what_was_missed_while_it_was_down(reports_env):
    import threading

    _, path = reports_env
    path.write_text("reports:\n  - {name: hourly, template: empty, cron: '0 * * * *', "
                    "audience: partnership}\n")
    history = open_history()
    # a first start catches up nothing: it was never up, so nothing was missed
    stop = threading.Event()
    with Scheduler(now=fixed(datetime(2026, 3, 4, 6, 30, tzinfo=UTC))) as s:
        stop.set()
        s.serve(stop)
    assert history.runs() == []
    # last seen alive at 03:10, back at 06:30: 04:00-06:00 were missed; 06:00 runs (coalesced)
    down_at = datetime(2026, 3, 4, 3, 10, tzinfo=UTC).timestamp()
    con = history.connect()
    con.execute("UPDATE schedulers SET seen_at = ?", (down_at,))
    stop = threading.Event()
    with Scheduler(now=fixed(datetime(2026, 3, 4, 6, 30, tzinfo=UTC))) as s:
        t = threading.Thread(target=s.serve, args=(stop,))
        t.start()
        wait_for(lambda: [r for r in history.runs() if r["status"] == "succeeded"], timeout=300)
        stop.set()
        t.join(60)
    [row] = history.runs()
    assert (row["scheduled_time"], row["trigger"], row["status"]) == (
        "2026-03-04T060000Z", "catch-up", "succeeded")
