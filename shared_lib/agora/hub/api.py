"""A small client of the hub REST API (used by `agora admin`, the launcher and tests)."""
from __future__ import annotations

import time
from urllib.parse import quote

import requests

from .errors import HubAPIError


class HubClient:
    """Calls `<base_url>/hub/api/...` with a token (the admin service's, or a user's)."""

    def __init__(self, base_url: str, token: str, timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.api_url = f"{self.base_url}/hub/api"
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"

    def request(self, method: str, path: str, json: object = None, ok: tuple[int, ...] = (),
                **kwargs) -> object:
        try:
            r = self.session.request(method, self.api_url + path, json=json,
                                     timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise HubAPIError(f"hub at {self.base_url} is not reachable: {exc}") from None
        if r.status_code >= 400 and r.status_code not in ok:
            try:
                message = r.json().get("message", r.text)
            except ValueError:
                message = r.text[:300]
            raise HubAPIError(f"{method} {path}: {r.status_code} {message}", r.status_code)
        if not r.content:
            return None
        try:
            return r.json()
        except ValueError:
            return r.text

    # users -------------------------------------------------------------------------------
    def user(self, name: str) -> dict | None:
        try:
            return self.request("GET", f"/users/{quote(name)}")
        except HubAPIError as exc:
            if exc.status == 404:
                return None
            raise

    def users(self) -> list[dict]:
        return self.request("GET", "/users")

    def create_user(self, name: str, admin: bool = False) -> dict:
        if self.user(name) is None:
            self.request("POST", f"/users/{quote(name)}")
        return self.set_admin(name, admin)

    def set_admin(self, name: str, admin: bool) -> dict:
        return self.request("PATCH", f"/users/{quote(name)}", json={"admin": admin})

    def delete_user(self, name: str) -> None:
        self.request("DELETE", f"/users/{quote(name)}", ok=(404,))

    def token(self, name: str, note: str = "agora", expires_in: int = 3600,
              scopes: list[str] | None = None) -> str:
        body: dict = {"note": note, "expires_in": expires_in}
        if scopes is not None:
            body["scopes"] = scopes
        return self.request("POST", f"/users/{quote(name)}/tokens", json=body)["token"]

    # groups ------------------------------------------------------------------------------
    def group(self, name: str) -> dict | None:
        try:
            return self.request("GET", f"/groups/{quote(name)}")
        except HubAPIError as exc:
            if exc.status == 404:
                return None
            raise

    def ensure_group(self, name: str) -> dict:
        group = self.group(name)
        if group is None:
            self.request("POST", f"/groups/{quote(name)}")
            group = self.group(name)
        return group

    def add_to_group(self, group: str, users: list[str]) -> None:
        if users:
            self.ensure_group(group)
            self.request("POST", f"/groups/{quote(group)}/users", json={"users": users})

    def remove_from_group(self, group: str, users: list[str]) -> None:
        if users:
            self.request("DELETE", f"/groups/{quote(group)}/users", json={"users": users})

    # servers -----------------------------------------------------------------------------
    def start_server(self, name: str, timeout: float = 180.0) -> dict:
        """Start a user's server and wait until it is ready (400: it is already starting)."""
        self.request("POST", f"/users/{quote(name)}/server", ok=(400,))
        deadline = time.monotonic() + timeout
        gone_since = None
        while time.monotonic() < deadline:
            server = ((self.user(name) or {}).get("servers") or {}).get("")
            if server and server.get("ready"):
                return server
            if server and server.get("pending"):
                gone_since = None
            elif gone_since is None:
                gone_since = time.monotonic()
            elif time.monotonic() - gone_since > 5:
                raise HubAPIError(f"server of {name} stopped while starting (see the hub log)")
            time.sleep(0.25)
        raise HubAPIError(f"server of {name} not ready after {timeout:.0f}s")

    def stop_server(self, name: str) -> None:
        self.request("DELETE", f"/users/{quote(name)}/server", ok=(204, 202, 400))

    def share(self, owner: str, with_user: str) -> dict:
        return self.request("POST", f"/shares/{quote(owner)}/", json={"user": with_user})
