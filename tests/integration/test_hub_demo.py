"""`start_demo`: the hub in the foreground with the demo organisations and users (their known
passwords) until Ctrl-C. Run here on a copy of the shipped demo files whose Unix names carry a
test prefix, so no real demo account is created on the test machine."""
from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests
import yaml

from agora.hub import accounts
from agora.hub.launch import make_test_base, make_test_settings, session_prefix, settings_env
from agora.hub.orgs import load_directory
from agora.hub.testing import login_response

pytestmark = pytest.mark.slow
SHIPPED = Path(__file__).resolve().parents[2] / "hub_config"


def prefixed_copy(dest: Path, prefix: str) -> None:
    dest.mkdir(parents=True)
    orgs = yaml.safe_load((SHIPPED / "organisations.yaml").read_text())
    for org in orgs["organisations"]:
        org["group"] = prefix + org["group"]
    orgs["partnership_group"] = prefix + "partners"
    (dest / "organisations.yaml").write_text(yaml.safe_dump(orgs))
    demo = yaml.safe_load((SHIPPED / "demo_users.yaml").read_text())
    for user in demo["users"]:
        user["name"] = prefix + user["name"]
    (dest / "demo_users.yaml").write_text(yaml.safe_dump(demo))


def test_demo_starts_with_demo_users_and_stops_on_ctrl_c():
    base = make_test_base()
    prefix = session_prefix()
    s = make_test_settings(base, hub_demo="false")  # start_demo turns demo mode on itself
    prefixed_copy(s.hub_config_dir, prefix)
    directory = load_directory(s.hub_config_dir, demo=True)
    proc = subprocess.Popen(
        [str(s.venv / "bin" / "python"), "-c",
         "from agora.hub.launch import start_demo; start_demo()"],
        env=settings_env(s), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "password:" in line and f"{prefix}gp" in line:
                break
        out = "".join(lines)
        assert f"Agora hub running at http://127.0.0.1:{s.hub_port}/" in out, out
        shipped = yaml.safe_load((SHIPPED / "demo_users.yaml").read_text())["users"]
        ana = next(u for u in shipped if u["name"] == "ana")
        assert ana["password"] in out
        r = login_response(requests.Session(), f"http://127.0.0.1:{s.hub_port}",
                           prefix + "ana", ana["password"])
        assert "/hub/login" not in r.url and r.status_code == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(90) == 0
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{s.hub_port}/hub/api/", timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        accounts.teardown_all(directory)
        shutil.rmtree(base, ignore_errors=True)
