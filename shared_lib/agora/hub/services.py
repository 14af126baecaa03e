"""Hub-managed services, as a registry.

`SERVICES` lists "module:function" names. Each function takes the current `Settings` and returns
`(service, roles)`: one `c.JupyterHub.services` entry and the `load_roles` entries that grant
that service its scopes. Add a service by appending one line here.
"""
from __future__ import annotations

import importlib
import logging
import os
import secrets
from pathlib import Path

from ..config import Settings
from .roles import CUSTOM_SCOPES

log = logging.getLogger(__name__)

SERVICES: list[str] = [
    "agora.hub.services:idle_culler",
    "agora.hub.services:admin_service",
    "agora.dashboards.service:hub_service",
    "agora.reports.service:hub_service",
]

ADMIN_SERVICE = "agora-admin"
ADMIN_TOKEN_FILE = "admin-service.token"

ServiceSpec = tuple[dict, list[dict]]


def idle_culler(s: Settings) -> ServiceSpec:
    """jupyterhub-idle-culler: stops servers idle for longer than settings().idle_timeout."""
    service = {"name": "idle-culler",
               "command": [str(s.venv / "bin" / "python"), "-m", "jupyterhub_idle_culler",
                           f"--timeout={s.idle_timeout}", "--cull-every=60"]}
    role = {"name": "idle-culler", "description": "Stop idle single-user servers.",
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": ["idle-culler"]}
    return service, [role]


def admin_token_path(s: Settings) -> Path:
    return s.hub_dir / ADMIN_TOKEN_FILE


def admin_token(s: Settings) -> str:
    """The `agora admin` service token: created on first use, 0600 root, beside the hub DB."""
    path = admin_token_path(s)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def admin_service(s: Settings) -> ServiceSpec:
    """API-only service whose token `agora admin` and the test launcher use."""
    service = {"name": ADMIN_SERVICE, "api_token": admin_token(s)}
    # JupyterHub's own admin role (only admins may change admins) plus Agora's custom scopes
    roles = [{"name": "admin", "services": [ADMIN_SERVICE]},
             {"name": "agora-admin-service",
              "description": "Agora's privileged scopes for `agora admin`.",
              "scopes": list(CUSTOM_SCOPES), "services": [ADMIN_SERVICE]}]
    return service, roles


def collect(s: Settings, names: list[str] | None = None) -> tuple[list[dict], list[dict]]:
    """All services and their roles. A broken entry is logged and skipped, never fatal."""
    services: list[dict] = []
    roles: list[dict] = []
    for name in SERVICES if names is None else names:
        module, _, attr = name.partition(":")
        try:
            service, service_roles = getattr(importlib.import_module(module), attr)(s)
            if not isinstance(service, dict) or "name" not in service:
                raise TypeError("service must be a dict with a 'name'")
            if not all(isinstance(r, dict) and "name" in r for r in service_roles):
                raise TypeError("roles must be dicts with a 'name'")
        except Exception as exc:  # one bad service must not stop the hub
            log.error("hub service %s skipped: %s: %s", name, type(exc).__name__, exc)
            continue
        services.append(service)
        roles.extend(service_roles)
    return services, roles
