"""A real hub for end-to-end tests, shared by every engineer's tests (`running_hub` fixture).

`hub_session()` starts the hub on free loopback ports with a fresh data directory in /tmp, test
organisations and users whose Unix names carry a per-session prefix, and a tiny published store
snapshot; on exit it stops the hub, removes the Unix users and groups and the folder.

    hub.name("ana")                full user name ("t1a2b3c-ana")
    hub.login("ana")               requests.Session logged in through the hub's login form
    hub.token("ana")               API token of the user (POST /hub/api/users/<n>/tokens)
    hub.start("ana")               start the user's server (waits until ready)
    hub.run("ana", "print(1)")     run code in a kernel of the user's server: KernelResult
"""
from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import requests
import websocket

from . import accounts
from .api import HubClient
from .errors import HubAPIError
from .launch import (RunningHub, make_test_base, make_test_settings, session_prefix,
                     settings_env, start_hub, user_password, write_test_directory)
from .orgs import load_directory

TINY_STORE = ("from agora.store import write\n"
              "with write(run_hooks=False):\n"
              "    pass\n")


@dataclass
class KernelResult:
    stdout: str
    error: str | None  # "ExceptionName: message" or None

    @property
    def ok(self) -> bool:
        return self.error is None


class Kernel:
    """A kernel in a user's Jupyter server, driven over the server's REST + websocket API."""

    def __init__(self, server_url: str, token: str, timeout: float = 120.0):
        self.server_url = server_url.rstrip("/")
        self.headers = {"Authorization": f"token {token}"}
        self.timeout = timeout
        r = requests.post(f"{self.server_url}/api/kernels", headers=self.headers, json={},
                          timeout=timeout)
        if r.status_code >= 400:
            raise HubAPIError(f"cannot start a kernel: {r.status_code} {r.text[:200]}",
                              r.status_code)
        self.id = r.json()["id"]
        self._connect()

    def _connect(self) -> None:
        ws_url = self.server_url.replace("http", "ws", 1) + f"/api/kernels/{self.id}/channels"
        self.ws = websocket.create_connection(
            ws_url, header=[f"{k}: {v}" for k, v in self.headers.items()], timeout=self.timeout)

    def run(self, code: str) -> KernelResult:
        """Execute `code`; a websocket closed while idle (proxy or server timeout) is reopened."""
        try:
            return self._run(code)
        except (websocket.WebSocketConnectionClosedException, BrokenPipeError,
                ConnectionResetError):
            self._connect()
            return self._run(code)

    def _run(self, code: str) -> KernelResult:
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
        out: list[str] = []
        error = None
        while True:
            raw = self.ws.recv()
            if not raw:  # the peer closed the websocket
                raise websocket.WebSocketConnectionClosedException("kernel websocket closed")
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                out.append(content["data"].get("text/plain", "") + "\n")
            elif kind == "error":
                error = f"{content['ename']}: {content['evalue']}"
            elif kind == "status" and content["execution_state"] == "idle":
                return KernelResult("".join(out), error)

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            requests.delete(f"{self.server_url}/api/kernels/{self.id}", headers=self.headers,
                            timeout=self.timeout)


@dataclass
class TestHub:
    """The running hub plus helpers addressing test users by their short names."""
    hub: RunningHub
    names: dict[str, str]
    _tokens: dict[str, str] = field(default_factory=dict)
    _kernels: dict[str, Kernel] = field(default_factory=dict)

    __test__ = False  # not a pytest test class

    @property
    def url(self) -> str:
        return self.hub.url

    @property
    def client(self) -> HubClient:
        return self.hub.client

    @property
    def settings(self):
        return self.hub.settings

    @property
    def prefix(self) -> str:
        """The session's prefix of Unix user and group names."""
        short, full = next(iter(self.names.items()))
        return full[: len(full) - len(short)]

    def name(self, short: str) -> str:
        """Full name of a test user (any short name gets the session prefix)."""
        return self.names.get(short, self.prefix + short)

    def password(self, short: str) -> str:
        return user_password(short)

    def login(self, short: str, password: str | None = None) -> requests.Session:
        """Log in through the hub's login form; raises HubAPIError if refused."""
        session = requests.Session()
        r = login_response(session, self.url, self.name(short), password or self.password(short))
        if "/hub/login" in r.url or r.status_code >= 400:
            raise HubAPIError(f"login of {self.name(short)} refused ({r.status_code})",
                              r.status_code)
        return session

    def token(self, short: str) -> str:
        name = self.name(short)
        if name not in self._tokens:
            self._tokens[name] = self.client.token(name, note="test")
        return self._tokens[name]

    def server_url(self, short: str) -> str:
        return f"{self.url}/user/{self.name(short)}"

    def start(self, short: str) -> dict:
        return self.client.start_server(self.name(short))

    def run(self, short: str, code: str, as_user: str | None = None) -> KernelResult:
        """Run code in a kernel of `short`'s server (with `as_user`'s token if given)."""
        key = f"{short}:{as_user or short}"
        if key not in self._kernels:
            self._kernels[key] = Kernel(self.server_url(short), self.token(as_user or short))
        return self._kernels[key].run(code)

    def close_kernels(self) -> None:
        for kernel in self._kernels.values():
            try:
                kernel.close()
            except Exception:
                pass
        self._kernels.clear()


def login_response(session: requests.Session, url: str, username: str,
                   password: str) -> requests.Response:
    """POST the hub's login form (with its XSRF token) and return the final response."""
    session.get(f"{url}/hub/login", timeout=30)
    xsrf = session.cookies.get("_xsrf", "")
    return session.post(f"{url}/hub/login?next=", timeout=60,
                        data={"username": username, "password": password, "_xsrf": xsrf})


def copy_store(source: Path, s) -> None:
    """Copy a built store (snapshots + `current` link) into the hub's data directory, with the
    store's modes: folders 0755, analyst copies 0644, restricted copies 0600."""
    shutil.copytree(source, s.store_dir, symlinks=True, dirs_exist_ok=True)
    for path in [s.store_dir, *s.store_dir.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            path.chmod(0o600 if path.name.startswith("restricted") or path.name.startswith(".")
                       else 0o644)


def build_tiny_store(s) -> None:
    """Publish an empty snapshot of the common data model (real store code, real DuckDB)."""
    subprocess.run([str(s.venv / "bin" / "python"), "-c", TINY_STORE], env=settings_env(s),
                   check=True, capture_output=True)


@contextmanager
def hub_session(users: list[tuple[str, str, str]] | None = None,
                store_from: Path | None = None) -> Iterator[TestHub]:
    """Start a test hub; always stop it and remove its Unix users, groups and files.

    `users` are (short name, org code, role) of TEST_USERS' organisations; `store_from` is the
    store folder of a built data directory to copy in (else an empty snapshot is published)."""
    base = make_test_base()
    s = make_test_settings(base)
    kwargs = {} if users is None else {"users": users}
    names = write_test_directory(s.hub_config_dir, session_prefix(), **kwargs)
    directory = load_directory(s.hub_config_dir, demo=True)
    hub = None
    try:
        accounts.prepare_data_dir(s, directory)
        if store_from is not None:
            copy_store(Path(store_from), s)
        else:
            build_tiny_store(s)
        hub = start_hub(s)
        test_hub = TestHub(hub, names)
        yield test_hub
        test_hub.close_kernels()
    finally:
        if hub is not None:
            hub.stop()
        accounts.teardown_all(directory)
        try:  # people and organisations added while the hub ran (`agora admin` in tests)
            accounts.teardown_all(load_directory(s.hub_config_dir, demo=True))
        except Exception:
            pass
        shutil.rmtree(base, ignore_errors=True)
