"""Who is acting: a user name with roles and organisations, and what each role may do."""
from __future__ import annotations

from dataclasses import dataclass, field

from .errors import NotAllowed

STEWARD, ADMIN, ANALYST, VIEWER = "steward", "admin", "analyst", "viewer"
SUBMITTERS = frozenset({ANALYST, STEWARD, ADMIN})
DECIDERS = frozenset({STEWARD, ADMIN})


@dataclass(frozen=True)
class Actor:
    name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    orgs: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_steward(self) -> bool:
        return bool(self.roles & DECIDERS)

    def require(self, allowed: frozenset[str], action: str) -> None:
        if not self.roles & allowed:
            need = " or ".join(sorted(allowed))
            raise NotAllowed(f"{self.name} may not {action}: needs the {need} role "
                             f"(has {', '.join(sorted(self.roles)) or 'no role'})")

    def may_see(self, audience: str) -> bool:
        """Partnership dashboards are for everyone; an organisation's for its members and
        stewards."""
        return audience == "partnership" or audience in self.orgs or self.is_steward


def directory():
    """The hub's register of organisations and people (organisations.yaml)."""
    from ..config import settings
    from ..hub import orgs

    s = settings()
    return orgs.load_directory(s.hub_config_dir, demo=s.hub_demo)


def actor_from_directory(name: str) -> Actor:
    """The Actor for a person in the hub's register (CLI use on the server)."""
    person = directory().users.get(name)
    if person is None or person.disabled:
        raise NotAllowed(f"{name!r} is not an active user in the hub's register")
    return Actor(name, frozenset({person.role}), frozenset({person.org}))


def known_org(code: str) -> bool:
    """Whether `code` is an organisation in the hub's register."""
    return code in directory().orgs
