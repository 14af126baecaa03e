"""The reports web service: latest and past reports and run history behind hub login.

A JupyterHub-managed service (`hub_service`): people sign in through the hub (HubOAuth) and see
partnership-wide reports plus those of their organisations' groups; stewards and admins see all,
and the error text of failed runs. Report pages are served with a Content-Security-Policy that
allows no script and no network: a report is a static page. The same process runs the scheduler.
"""
from __future__ import annotations

import json
import logging
import os
import re
import secrets
import threading
from pathlib import Path

from tornado import ioloop, web
from tornado.escape import url_escape

from agora.config import Settings, settings
from agora.reports import visibility as cat
from agora.reports.history import open_history
from agora.reports.publish import reports_dir

log = logging.getLogger("agora.reports.service")
SERVICE_NAME = "reports"
PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
REPORT_CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
              "font-src data:; frame-ancestors 'self'; form-action 'none'")
PAGES = Path(__file__).with_name("pages.html")


def hub_service(s: Settings) -> tuple[dict, list[dict]]:
    """`c.JupyterHub.services` entry and role for the reports service (see agora.hub.services)."""
    from agora.config import SETTINGS

    env = {st.env: str(getattr(s, st.name)) for st in SETTINGS}   # this hub's settings
    env["PATH"] = f"{s.venv / 'bin'}:/usr/bin:/bin"
    service = {"name": SERVICE_NAME, "url": f"http://127.0.0.1:{s.reports_port}",
               "command": [str(s.venv / "bin" / "agora"), "reports", "serve"],
               "environment": env, "oauth_no_confirm": True, "display": True,
               "info": {"description": "Scheduled reports"}}
    role = {"name": "agora-reports-service", "description": "Read people's groups.",
            "scopes": ["read:users:groups", "read:users:name"], "services": [SERVICE_NAME]}
    return service, [role]


def _hub():
    from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler, HubOAuthenticated

    return HubOAuth, HubOAuthCallbackHandler, HubOAuthenticated


def make_app(prefix: str | None = None) -> web.Application:
    HubOAuth, HubOAuthCallbackHandler, HubOAuthenticated = _hub()
    prefix = prefix or os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/reports/")

    class Base(HubOAuthenticated, web.RequestHandler):
        def set_default_headers(self):
            self.set_header("X-Content-Type-Options", "nosniff")
            self.set_header("Referrer-Policy", "same-origin")
            self.set_header("Cache-Control", "no-store")

        @property
        def groups(self) -> list[str]:
            return list((self.current_user or {}).get("groups") or [])

        @property
        def steward(self) -> bool:
            return cat.sees_all(self.groups)

        def page(self, kind: str, title: str, **kw):
            self.set_header("Content-Security-Policy", REPORT_CSP)
            self.render(str(PAGES), kind=kind, title=title, prefix=prefix,
                        user=self.current_user.get("name", ""), url_escape=url_escape,
                        steward=self.steward, **kw)

        def check_parts(self, *parts: str) -> None:
            if not all(PART.match(p) for p in parts):
                raise web.HTTPError(404)

        def check_audience(self, audience: str) -> None:
            if not cat.may_see(self.groups, audience):
                raise web.HTTPError(404)   # not 403: do not reveal what exists

    class Catalog(Base):
        @web.authenticated
        def get(self):
            rows = []
            for r in cat.catalog(self.groups):
                slug = r["entry_id"].replace("/", "--")
                params = ", ".join(f"{k}={v}" for k, v in (r["parameters"] or {}).items())
                rows.append({**r, "slug": slug, "params": params})
            self.page("catalog", "Latest reports", rows=rows)

    class CatalogAPI(Base):
        @web.authenticated
        def get(self):
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps(cat.catalog(self.groups), default=str))

    class Past(Base):
        @web.authenticated
        def get(self, audience, slug):
            self.check_parts(audience, slug)
            self.check_audience(audience)
            folder = reports_dir() / audience / slug
            times = sorted((p.name for p in folder.iterdir() if (p / "report.html").is_file()),
                           reverse=True) if folder.is_dir() else []
            if not times:
                raise web.HTTPError(404)
            self.page("past", f"Past reports: {slug}", rows=times, audience=audience, slug=slug)

    class View(Base):
        @web.authenticated
        def get(self, audience, slug, when, name):
            self.check_parts(audience, slug, when)
            self.check_audience(audience)
            name = name or "report.html"
            if name not in ("report.html", "report.ipynb", "run.json"):
                raise web.HTTPError(404)
            if name == "report.ipynb" and not self.steward:
                raise web.HTTPError(404)      # the notebook has code: stewards only
            path = (reports_dir() / audience / slug / when / name).resolve()
            if reports_dir().resolve() not in path.parents or not path.is_file():
                raise web.HTTPError(404)
            self.set_header("Content-Security-Policy", REPORT_CSP)
            self.set_header("Content-Type", {"report.html": "text/html; charset=utf-8",
                                             "run.json": "application/json"}.get(
                name, "application/x-ipynb+json"))
            if name == "report.ipynb":
                self.set_header("Content-Disposition", f'attachment; filename="{slug}-{when}.ipynb"')
            self.finish(path.read_bytes())

    class History(Base):
        @web.authenticated
        def get(self):
            allowed = cat.audiences(self.groups)
            try:
                limit = min(max(int(self.get_argument("limit", "100")), 1), 1000)
            except ValueError:
                raise web.HTTPError(400, "limit must be a number") from None
            rows = [r for r in open_history().runs(limit=limit)
                    if allowed is None or r["audience"] in allowed]
            if self.get_argument("format", "") == "json":
                if not self.steward:
                    rows = [{k: v for k, v in r.items() if k not in ("error", "owner")}
                            for r in rows]
                self.set_header("Content-Type", "application/json")
                self.finish(json.dumps(rows, default=str))
                return
            self.page("history", "Run history", rows=rows)

    class Health(web.RequestHandler):
        def get(self):
            self.finish({"ok": True})

    return web.Application([
        (prefix, Catalog),
        (prefix + r"api/catalog", CatalogAPI),
        (prefix + r"history", History),
        (prefix + r"past/([^/]+)/([^/]+)/?", Past),
        (prefix + r"view/([^/]+)/([^/]+)/([^/]+)/(report\.html|report\.ipynb|run\.json)?", View),
        (prefix + r"health", Health),
        (prefix + r"oauth_callback", HubOAuthCallbackHandler),
    ], hub_auth=HubOAuth(api_token=os.environ.get("JUPYTERHUB_API_TOKEN", ""), cache_max_age=60),
        cookie_secret=secrets.token_bytes(32))


def main(port: int | None = None, with_scheduler: bool = True) -> None:
    """Serve until stopped; with the scheduler running in a background thread."""
    from urllib.parse import urlparse

    logging.basicConfig(level=logging.INFO)
    url = os.environ.get("JUPYTERHUB_SERVICE_URL")
    port = port or (urlparse(url).port if url else None) or settings().reports_port
    app = make_app()
    app.listen(port, address="127.0.0.1")
    stop = threading.Event()
    if with_scheduler:
        from agora.reports.scheduler import Scheduler

        def loop():
            with Scheduler() as s:
                s.serve(stop)
        threading.Thread(target=loop, daemon=True, name="scheduler").start()
    log.info("reports service on 127.0.0.1:%s", port)
    try:
        ioloop.IOLoop.current().start()
    finally:
        stop.set()
