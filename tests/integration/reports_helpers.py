"""Helpers for the report tests: a data directory with the fixture templates and a schedule."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"
AGORA = Path(sys.executable).with_name("agora")

SCHEDULE = """\
reports:
  - name: simple
    title: Simple fixture
    template: simple
    cron: "0 6 * * *"
    audience: "{site_code}"
    for_each: {site_code: [RAJ01, RAJ02]}
  - name: raises
    template: raises
    cron: "0 6 * * *"
    audience: partnership
  - name: leaky
    template: leaky
    cron: "0 6 * * *"
    audience: partnership
"""


@pytest.fixture
def reports_env(agora_env, tmp_path, monkeypatch):
    """Fresh data dir, fixture templates, a schedule file, no retries by default."""
    schedule = tmp_path / "schedule.yaml"
    schedule.write_text(SCHEDULE)
    monkeypatch.setenv("AGORA_TEMPLATES_DIR", str(FIXTURES))
    monkeypatch.setenv("AGORA_REPORTS_SCHEDULE", str(schedule))
    monkeypatch.setenv("AGORA_REPORTS_RETRIES", "0")
    monkeypatch.setenv("AGORA_REPORTS_BACKOFF", "0")
    monkeypatch.setenv("AGORA_REPORTS_WORKERS", "2")
    return agora_env[0], schedule


def published_reports(data: Path) -> list[Path]:
    root = data / "reports"
    return sorted(p for p in root.glob("*/*/*") if not p.parts[-3].startswith("_"))


def agora(*args: str, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(AGORA), *args], capture_output=True, text=True, timeout=timeout,
                          env=os.environ.copy(), **kw)


def wait_for(predicate, timeout: float = 60, every: float = 0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("condition not met in time")


def kill9(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
