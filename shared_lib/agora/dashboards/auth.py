"""Access control for the dashboard server.

`HubIdentityProvider` logs people in through the hub (OAuth) and rejects anyone without access
to this service. `DashboardAuthorizer` is the one place that decides what a logged-in person
may reach: a dashboard only if it is published and its audience is the partnership or one of
the person's organisations; the steward pages only with the hub's publish scope; kernels only
to read and to talk to over the widget channel (the kernel itself accepts no code from the
browser); nothing else (no files, no contents or sessions API, no JupyterLab).
"""
from __future__ import annotations

import re
from typing import Any

from jupyter_server.auth.authorizer import Authorizer
from jupyterhub.singleuser.extension import JupyterHubIdentityProvider
from tornado.web import HTTPError

from .. import publish
from .identity import actor_from_hub

DASHBOARD, LANDING, REVIEW, KERNELS = "agora:dashboard", "agora:landing", "agora:review", "kernels"
RENDER = re.compile(r"^(?P<slug>[^/]+)\.ipynb$")


class HubIdentityProvider(JupyterHubIdentityProvider):
    """Hub OAuth identity (JupyterHub's own provider), usable by a standalone Voila app."""

    def __init__(self, token: Any = None, **kwargs: Any) -> None:  # Voila passes a token
        super().__init__(**kwargs)


def actor_of(user: Any):
    hub_user = getattr(user, "hub_user", None)
    return actor_from_hub(hub_user) if hub_user else None


def slug_of(path: str) -> str | None:
    m = RENDER.match(path or "")
    return m.group("slug") if m else None


class DashboardAuthorizer(Authorizer):
    """Decides each request by resource: dashboards by audience, steward pages by scope."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        actor = actor_of(user)
        if actor is None:
            return False
        if resource == LANDING:
            return action == "read"
        if resource == REVIEW:
            return actor.is_steward
        if resource == KERNELS:
            return action in ("read", "execute")
        if resource == DASHBOARD:
            slug = slug_of(handler.path_args[0] if handler.path_args else "")
            audience = publish.audience_of(slug) if slug else None
            return audience is not None and actor.may_see(audience)
        return False


def gated(handler_class: type, resource: str, action: str = "read") -> type:
    """A subclass of `handler_class` that asks the authorizer before serving anything."""

    class Gated(handler_class):
        async def prepare(self, *args: Any, **kwargs: Any) -> None:
            result = super().prepare(*args, **kwargs)
            if result is not None and hasattr(result, "__await__"):
                await result
            if self._finished or self.current_user is None:
                return
            if not self.authorizer.is_authorized(self, self.current_user, action, resource):
                if resource == DASHBOARD:
                    raise HTTPError(404, "No such dashboard, or it is not published for you.")
                raise HTTPError(403, "You do not have access to this page.")

    Gated.__name__ = Gated.__qualname__ = f"Gated{handler_class.__name__}"
    return Gated
