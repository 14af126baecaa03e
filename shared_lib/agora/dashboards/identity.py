"""Who is visiting: an Actor (name, roles, organisations) built from the hub's user model.

Organisations are hub groups (organisations.yaml maps each group to its code), Agora roles are
`role-<name>` hub groups, and the steward's publishing rights are the hub scope
`custom:agora:publish` carried by the OAuth token.
"""
from __future__ import annotations

import functools
from typing import Any, Mapping

from ..publish.actors import STEWARD, Actor

PUBLISH_SCOPE = "custom:agora:publish"
ROLE_PREFIX = "role-"


@functools.lru_cache(maxsize=1)
def org_groups() -> dict[str, str]:
    """Hub group name -> organisation code, from the hub's organisation register."""
    from ..config import settings
    from ..hub import orgs

    s = settings()
    directory = orgs.load_directory(s.hub_config_dir, s.hub_demo)
    return {o.group: o.code for o in directory.orgs.values()}


def actor_from_hub(user: Mapping[str, Any],
                   groups_to_orgs: Mapping[str, str] | None = None) -> Actor:
    """An Actor from a hub user model ({'name', 'groups', 'scopes', ...})."""
    mapping = org_groups() if groups_to_orgs is None else groups_to_orgs
    groups = set(user.get("groups") or ())
    roles = {g[len(ROLE_PREFIX):] for g in groups if g.startswith(ROLE_PREFIX)}
    if PUBLISH_SCOPE in set(user.get("scopes") or ()):
        roles.add(STEWARD)
    elif STEWARD in roles:
        roles.discard(STEWARD)   # the scope, not the group name, grants publishing
    orgs = {mapping[g] for g in groups if g in mapping}
    return Actor(str(user.get("name", "")), frozenset(roles), frozenset(orgs))
