"""Pages of the dashboard server: the landing page for everyone, review pages for stewards."""
from __future__ import annotations

import functools
import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web

from .. import publish
from ..config import settings
from . import freshness
from .auth import LANDING, REVIEW, actor_of

log = logging.getLogger(__name__)
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).with_name("templates"))),
    autoescape=True)


def reports_for(groups: list[str]) -> list[dict[str, Any]]:
    """Scheduled reports the user may see, from the reports service ([] if unavailable)."""
    try:
        from ..reports import catalog
    except ImportError:
        return []
    try:
        return [dict(r) if isinstance(r, dict) else vars(r) for r in catalog(groups)]
    except Exception as exc:  # a broken report index must not take the landing page down
        log.warning("report catalogue unavailable: %s", exc)
        return []


class Page(JupyterHandler):
    """Base: checks the authorizer for `resource` before any method runs; renders templates."""

    resource = LANDING

    async def prepare(self) -> None:
        result = super().prepare()
        if result is not None and hasattr(result, "__await__"):
            await result
        if self._finished or self.current_user is None:
            return
        action = "read" if self.request.method in ("GET", "HEAD") else "write"
        if not self.authorizer.is_authorized(self, self.current_user, action, self.resource):
            raise web.HTTPError(403, "This page is for data stewards.")
        self.actor = actor_of(self.current_user)

    def page(self, name: str, status: int = 200, **ns: Any) -> None:
        base = self.settings["base_url"]
        hub_prefix = getattr(self.identity_provider.hub_auth, "hub_prefix", "/hub/")
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        self.finish(TEMPLATES.get_template(name).render(
            actor=self.actor, base=base, url=functools.partial(url_path_join, base),
            logout=url_path_join(hub_prefix, "logout"), xsrf=Markup(self.xsrf_form_html()), **ns))


class Landing(Page):
    """Dashboards and reports the person may see, with owner, freshness and last refresh."""

    @web.authenticated
    def get(self) -> None:
        groups = list(self.current_user.hub_user.get("groups") or [])
        refreshed = self.settings.get("agora_last_refresh")
        self.page("landing.html",
                  dashboards=publish.published(self.actor),
                  reports=reports_for(groups),
                  feeds=freshness.feeds(),
                  snapshot=freshness.snapshot_time(),
                  refreshed=refreshed() if callable(refreshed) else None,
                  catalogue=(settings().catalogue_dir / "index.html").exists(),
                  pending=len(publish.pending()) if self.actor.is_steward else 0)


class CatalogueFile(Page, web.StaticFileHandler):
    """The static data catalogue, for anyone logged in."""

    @web.authenticated
    async def get(self, path: str, include_body: bool = True) -> None:
        await web.StaticFileHandler.get(self, path or "index.html", include_body)


class Review(Page):
    """Stewards: submissions awaiting review and every dashboard's versions."""

    resource = REVIEW

    @web.authenticated
    def get(self) -> None:
        self.page("review.html", pending=publish.pending(), dashboards=publish.dashboards())


class Submission(Page):
    """Stewards: one submission's nbdime diff, with approve and reject."""

    resource = REVIEW

    @web.authenticated
    def get(self, slug: str, number: str, error: str | None = None, status: int = 200) -> None:
        try:
            diff = publish.review(slug, number)
        except publish.PublishError as exc:
            raise web.HTTPError(404, str(exc)) from None
        meta = publish.store.read_meta(slug)
        sub = meta["submissions"][int(number) - 1]
        self.page("submission.html", status=status, meta=meta, sub=sub, diff=diff, error=error)

    @web.authenticated
    def post(self, slug: str, number: str) -> None:
        action = self.get_body_argument("action", "")
        comment = self.get_body_argument("comment", "")
        try:
            if action == "approve":
                publish.approve(slug, self.actor, submission=number, comment=comment)
            elif action == "reject":
                publish.reject(slug, self.actor, comment=comment, submission=number)
            else:
                raise publish.InvalidName(f"unknown action {action[:40]!r}")
        except publish.PublishError as exc:
            return self.get(slug, number, error=str(exc), status=400)
        self.redirect(url_path_join(self.settings["base_url"], "review"))


class Rollback(Page):
    """Stewards: serve an earlier version of a dashboard."""

    resource = REVIEW

    @web.authenticated
    def post(self, slug: str) -> None:
        try:
            publish.rollback(slug, self.actor, to=self.get_body_argument("to", "") or None,
                             comment=self.get_body_argument("comment", ""))
        except publish.PublishError as exc:
            self.page("review.html", status=400, error=str(exc), pending=publish.pending(),
                      dashboards=publish.dashboards())
            return
        self.redirect(url_path_join(self.settings["base_url"], "review"))


def handlers(base_url: str) -> list[tuple]:
    slug, num = r"([a-z0-9-]{1,64})", r"([0-9]{1,6})"
    return [
        (base_url, Landing),
        (url_path_join(base_url, "review"), Review),
        (url_path_join(base_url, "review", slug, num), Submission),
        (url_path_join(base_url, "review", slug, "rollback"), Rollback),
        (url_path_join(base_url, "catalogue/(.*)"), CatalogueFile, {"path": str(settings().catalogue_dir)}),
    ]


def now() -> datetime:
    return datetime.now(timezone.utc)
