"""Agora roles and their JupyterHub RBAC mapping.

Each Agora role is a JupyterHub group (`role-<name>`) carrying a JupyterHub role; changing a
person's role is moving them between groups, which takes effect at once on the running hub.
The default `user` role is cut down to the minimum so that a viewer has no server of their own.
Services check the `custom:agora:*` scopes for their privileged parts.
"""
from __future__ import annotations

ROLES: tuple[str, ...] = ("analyst", "steward", "viewer", "direct_care", "admin")

# Privileged parts of Agora's services, checked by those services through hub OAuth.
CUSTOM_SCOPES: dict[str, dict[str, str]] = {
    "custom:agora:schedule": {"description": "Run and change the report schedule."},
    "custom:agora:publish": {"description": "Review and publish dashboards and reports."},
    "custom:agora:dq-triage": {"description": "Triage the data quality issues register."},
    "custom:agora:reidentify": {
        "description": "Re-identify patients registered at one's own practice (direct care)."},
}

SERVICE_ACCESS = ["access:services!service=reports", "access:services!service=dashboards"]

# What every logged-in person may do (replaces JupyterHub's default 'self': no own server).
BASE_USER_SCOPES = ["read:users!user", "users:activity!user", "tokens!user",
                    "read:shares!user", "users:shares!user", *SERVICE_ACCESS]

# Own server, sharing it with named colleagues, finding colleagues by name.
WORKSPACE_SCOPES = ["self", "shares!user", "read:users:name", "read:groups:name"]

ROLE_SCOPES: dict[str, list[str]] = {
    "analyst": WORKSPACE_SCOPES,
    "steward": [*WORKSPACE_SCOPES, "custom:agora:schedule", "custom:agora:publish",
                "custom:agora:dq-triage"],
    "viewer": [],
    "direct_care": [*WORKSPACE_SCOPES, "custom:agora:reidentify"],
    "admin": [],  # admins get JupyterHub's own 'admin' role (admin_users)
}

ROLE_DESCRIPTIONS: dict[str, str] = {
    "analyst": "Works in notebooks: own server, organisation folder, shared folder, sharing.",
    "steward": "Analyst who also runs the schedule, reviews publication and triages data quality.",
    "viewer": "Opens dashboards and reports only; has no server of their own.",
    "direct_care": "Analyst at a GP practice who may re-identify the practice's own patients.",
    "admin": "Administers the hub: organisations, users and roles.",
}

# Roles that have a notebook server and Unix folders to work in.
WORKSPACE_ROLES = frozenset({"analyst", "steward", "direct_care", "admin"})


def role_group(role: str) -> str:
    """JupyterHub group carrying an Agora role."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: expected one of {', '.join(ROLES)}")
    return f"role-{role}"


def hub_roles() -> list[dict]:
    """JupyterHub `load_roles` entries for every Agora role, plus the cut-down `user` role."""
    roles = [{"name": "user", "description": "Every logged-in person (no server by default).",
              "scopes": BASE_USER_SCOPES}]
    for role in ROLES:
        if ROLE_SCOPES[role]:
            roles.append({"name": f"agora-{role}", "description": ROLE_DESCRIPTIONS[role],
                          "scopes": ROLE_SCOPES[role], "groups": [role_group(role)]})
    return roles
