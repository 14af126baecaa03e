"""Start a real hub (with configurable-http-proxy) for tests and the demo; stop it cleanly.

`start_hub(s)` runs `jupyterhub -f hub_config/jupyterhub_config.py` as a child process with the
given settings in its environment, waits until the hub answers, brings its groups in line with
the YAML, and returns a `RunningHub` (base URL, admin service token, client, stop()).
`start_demo()` does the same on settings().hub_ip:hub_port with the demo users, until Ctrl-C.
"""
from __future__ import annotations

import ctypes
import os
import secrets
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from ..config import SETTINGS, Settings, settings
from .api import HubClient
from .errors import HubAPIError, HubStartError
from .orgs import DEMO_USERS_FILE, ORGS_FILE, Directory, load_directory
from .services import admin_token
from .sync import sync_hub

HUB_CONFIG_FILE = Path(__file__).resolve().parents[3] / "hub_config" / "jupyterhub_config.py"


def _stop_with_parent() -> None:
    """In the hub's child process: get SIGTERM when the process that started it dies, so a
    killed test run or demo never leaves a hub (and its proxy) behind."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def settings_env(s: Settings) -> dict[str, str]:
    """The environment that makes `settings()` in a child process equal `s`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGORA_")}
    for setting in SETTINGS:
        env[setting.env] = str(getattr(s, setting.name))
    return env


@dataclass
class RunningHub:
    """A hub started by `start_hub`: its URL, admin token, settings and directory."""
    url: str
    token: str
    settings: Settings
    directory: Directory
    process: subprocess.Popen
    log_path: Path
    client: HubClient = field(init=False)

    def __post_init__(self) -> None:
        self.client = HubClient(self.url, self.token)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM: the hub stops its users' servers and the proxy, then exits. Whatever is
        left of its process group after that (or after `timeout`) is killed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(10)


def _wait_ready(hub: RunningHub, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not hub.alive():
            raise HubStartError(f"hub exited with {hub.process.returncode}:\n{hub.log()[-4000:]}")
        try:
            hub.client.request("GET", "/")
            hub.client.request("GET", "/users")
            return
        except HubAPIError:
            time.sleep(0.3)
    hub.stop()
    raise HubStartError(f"hub not ready after {timeout:.0f}s:\n{hub.log()[-4000:]}")


def start_hub(s: Settings | None = None, timeout: float = 120.0, stdout=None) -> RunningHub:
    """Start the real hub for `s` (default: current settings) and wait until it answers."""
    s = s or settings()
    directory = load_directory(s.hub_config_dir, demo=s.hub_demo)  # clear errors before starting
    s.hub_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(s.hub_dir, 0o700)
    token = admin_token(s)
    log_path = s.hub_dir / "jupyterhub.log"
    log = open(log_path, "ab") if stdout is None else stdout
    cmd = [str(s.venv / "bin" / "jupyterhub"), "-f", str(HUB_CONFIG_FILE)]
    process = subprocess.Popen(cmd, cwd=s.hub_dir, env=settings_env(s), stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True,
                               preexec_fn=_stop_with_parent)
    if stdout is None:
        log.close()
    hub = RunningHub(url=f"http://{s.hub_ip}:{s.hub_port}", token=token, settings=s,
                     directory=directory, process=process, log_path=log_path)
    try:
        _wait_ready(hub, timeout)
        sync_hub(hub.client, directory)
    except BaseException:
        hub.stop()
        raise
    return hub


# ---- test hubs ---------------------------------------------------------------------------

TEST_ORGS = [("RAJ", "acute_trust", "raj"), ("QH8", "icb", "qh8"),
             ("F81001", "gp_practice", "f81001")]
TEST_USERS = [  # short name, org, role
    ("ana", "RAJ", "analyst"), ("ben", "RAJ", "analyst"), ("cara", "QH8", "analyst"),
    ("stew", "QH8", "steward"), ("vic", "QH8", "viewer"), ("gp", "F81001", "direct_care"),
    ("ada", "QH8", "admin"), ("lock", "RAJ", "analyst"),
]


def session_prefix() -> str:
    """A short unique prefix for one test session's Unix users and groups."""
    return "t" + secrets.token_hex(3) + "-"


def write_test_directory(config_dir: Path, prefix: str,
                         users: list[tuple[str, str, str]] = TEST_USERS) -> dict[str, str]:
    """organisations.yaml + demo_users.yaml with prefixed names; returns short -> full name."""
    config_dir.mkdir(parents=True, exist_ok=True)
    orgs = [{"code": code, "name": f"Test {code}", "kind": kind, "group": f"{prefix}{g}"}
            for code, kind, g in TEST_ORGS]
    (config_dir / ORGS_FILE).write_text(yaml.safe_dump(
        {"organisations": orgs, "partnership_group": f"{prefix}partners", "users": []},
        sort_keys=False))
    names = {short: prefix + short for short, _, _ in users}
    records = []
    for short, org, role in users:
        rec = {"name": names[short], "org": org, "role": role, "password": user_password(short)}
        if role == "direct_care":
            rec["practice"] = org
        records.append(rec)
    (config_dir / DEMO_USERS_FILE).write_text(yaml.safe_dump({"users": records}, sort_keys=False))
    return names


def user_password(short: str) -> str:
    return f"agora-test-{short}-pw"


def make_test_settings(base: Path, **overrides) -> Settings:
    """Settings of a test hub: data and config under `base` (world-traversable), free ports."""
    base.mkdir(parents=True, exist_ok=True)
    os.chmod(base, 0o755)
    keys = base / "keys"
    keys.mkdir(exist_ok=True)
    os.chmod(keys, 0o700)
    ports = {st.name: free_port() for st in SETTINGS if st.name.endswith("_port")}
    values = {"data_dir": base / "data", "key_file": keys / "pseudonym.key",
              "hub_config_dir": base / "hub_config", "hub_demo": True, **ports, **overrides}
    return settings(**{k: str(v) for k, v in values.items()})


def make_test_base() -> Path:
    """A fresh world-traversable folder in /tmp (pytest's tmp_path is private to root)."""
    return Path(tempfile.mkdtemp(prefix="agora-hub-", dir="/tmp"))


# ---- the demo ----------------------------------------------------------------------------

def start_demo(s: Settings | None = None) -> None:
    """Start the hub with the demo organisations and users in the foreground until Ctrl-C."""
    s = replace(s or settings(), hub_demo=True)
    hub = start_hub(s, stdout=None)
    demo = load_directory(s.hub_config_dir, demo=True)
    print(f"Agora hub running at {hub.url}/ (log: {hub.log_path}); Ctrl-C to stop.")
    for p in demo.users.values():
        if p.password:
            print(f"  {p.name:<8} {p.role:<12} {p.org:<10} password: {p.password}")
    try:
        while hub.alive():
            time.sleep(1)
    except KeyboardInterrupt:
        print("stopping the hub...")
    finally:
        hub.stop()
