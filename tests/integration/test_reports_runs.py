"""Report runs under real papermill kernels: publish, failure, SDC gate, timeout, retries, CLI."""
from __future__ import annotations

import json

import nbformat
import pytest

from agora.reports.history import open_history
from agora.reports.manual import manual_runs
from agora.reports.scheduler import Scheduler
from reports_helpers import agora, published_reports, reports_env  # noqa: F401

pytestmark = pytest.mark.slow


def run_now(name, *pairs, **kw):
    with Scheduler(**kw) as s:
        claimed = [s.claim_manual(r) for r in manual_runs(name, list(pairs))]
        return s.run_claimed(claimed)


def test_a_run_publishes_html_without_code_and_records_history(reports_env):
    data, _ = reports_env
    [outcome] = run_now("simple/RAJ02", "days=2")
    assert outcome.status == "succeeded", outcome.error
    [folder] = published_reports(data)
    assert folder.parent.parent.name == "RAJ02" and folder.parent.name == "simple--RAJ02"
    assert sorted(p.name for p in folder.iterdir()) == ["report.html", "report.ipynb", "run.json"]
    page = (folder / "report.html").read_text()
    assert "site_code" not in page.split("<body", 1)[1].split("<table", 1)[0]  # no code shown
    assert "R.table(" not in page and "import pandas" not in page
    assert "data:image/svg+xml;base64," in page   # the chart is embedded SVG
    assert "cdn" not in page.lower() and "<script src=" not in page
    assert "*" in page and "245" in page          # 3 suppressed, 123*2=246 rounded to 245
    nb = nbformat.read(folder / "report.ipynb", as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
    meta = json.loads((folder / "run.json").read_text())
    assert meta["parameters"] == {"site_code": "RAJ02", "days": 2}
    [row] = open_history().runs()
    assert (row["status"], row["attempts"], row["parameters"], row["trigger"]) == (
        "succeeded", 1, {"site_code": "RAJ02", "days": 2}, "manual")
    assert row["output_dir"] == str(folder) and row["duration_s"] > 0


def test_a_template_that_raises_is_recorded_and_not_published(reports_env):
    data, _ = reports_env
    [outcome] = run_now("raises", "divisor=0")   # injected parameters cell: index unchanged
    assert outcome.status == "failed"
    assert published_reports(data) == []
    [row] = open_history().runs()
    assert row["status"] == "failed"
    assert row["error"] == "ZeroDivisionError: division by zero"
    # template cells: 0 title, 1 parameters, 2 x = 1, 3 y = 1 / divisor (papermill's own
    # injected and error cells are not counted)
    assert row["failing_cell"] == 3
    assert "cell 3 (y = 1 / divisor) raised ZeroDivisionError" in outcome.error
    kept = data / "reports" / "_failed" / f"{row['run_id']}-1.ipynb"
    assert kept.is_file()                          # kept for stewards, outside any audience
    assert list((data / "reports" / "_work").glob("[0-9]*")) == []


def test_the_sdc_gate_stops_a_leaky_template(reports_env):
    data, _ = reports_env
    [outcome] = run_now("leaky")
    assert outcome.status == "blocked"
    assert "patients" in outcome.error and "shows 3" in outcome.error
    assert published_reports(data) == []
    [row] = open_history().runs()
    assert row["status"] == "blocked" and row["attempts"] == 1   # never retried
    # the same table with n = 8 passes the gate
    [outcome] = run_now("leaky", "n=8")
    assert outcome.status == "succeeded"


def test_a_run_over_its_time_is_stopped_and_failed(reports_env, monkeypatch):
    data, _ = reports_env
    monkeypatch.setenv("AGORA_REPORTS_TIMEOUT", "3")
    [outcome] = run_now("slow", "seconds=60")
    assert outcome.status == "failed"
    assert outcome.duration_s < 30
    assert "timed out after 3 s" in outcome.error
    assert published_reports(data) == []


def test_failed_runs_are_retried_with_backoff_then_fail(reports_env, monkeypatch):
    monkeypatch.setenv("AGORA_REPORTS_RETRIES", "1")
    with Scheduler() as s:
        first = s.run_due()
        by_entry = {open_history().get(o.run_id)["entry_id"]: o.status for o in first}
        assert by_entry == {"simple/RAJ01": "succeeded", "simple/RAJ02": "succeeded",
                            "raises": "retry", "leaky": "blocked"}
        second = s.run_due()      # backoff 0: the retry is due at once; nothing else runs again
        assert [o.status for o in second] == ["failed"]
    row = open_history().runs(entry="raises")[0]
    assert (row["attempts"], row["max_attempts"]) == (2, 2)
    assert [a["status"] for a in open_history().attempts(row["run_id"])] == ["failed", "failed"]


def test_cli_refuses_hostile_parameters_before_running(reports_env):
    data, _ = reports_env
    for pairs in (['site_code=RAJ01"; import os; os.system("touch /tmp/pwned") #'],
                  ["site_code=" + "A" * 5000], ["colour=red"], ["days=ten"], ["nokey"]):
        args = ["reports", "run", "simple/RAJ01"]
        for p in pairs:
            args += ["-p", p]
        result = agora(*args)
        assert result.returncode != 0
        assert "Error" in result.stderr and "Traceback" not in result.stderr
    assert open_history().runs() == [] and published_reports(data) == []


def test_cli_usage_errors(reports_env):
    assert "Usage" in agora("reports", "run").stderr
    assert agora("reports", "run", "simple", "--due").returncode == 2
    r = agora("reports", "run", "nothing-like-this")
    assert r.returncode == 1 and "neither a schedule entry nor a template" in r.stderr
    assert "--due" in agora("reports", "run", "--help").stdout
    for sub in ("list", "history", "serve", "check"):
        assert agora("reports", sub, "--help").returncode == 0


def test_cli_run_due_list_and_history(reports_env):
    data, _ = reports_env
    result = agora("reports", "run", "--due")
    assert result.returncode == 1            # raises and leaky do not succeed
    assert result.stdout.count("succeeded") == 2
    assert len(published_reports(data)) == 2
    again = agora("reports", "run", "--due")  # same scheduled times: nothing runs twice
    assert again.returncode == 0 and "nothing due" in again.stdout
    listing = json.loads(agora("reports", "list", "--json").stdout)
    assert {r["name"]: r["last_status"] for r in listing} == {
        "simple": "succeeded", "raises": "failed", "leaky": "blocked"}
    hist = json.loads(agora("reports", "history", "--json", "--entry", "raises").stdout)
    assert hist[0]["error"] == "ZeroDivisionError: division by zero"
    assert "Report runs" in agora("reports", "history").stdout
