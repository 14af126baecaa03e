"""The dashboard server: Voila serving only the published-current dashboards, behind the hub.

Run by the hub as a managed service (`python -m agora.dashboards.app`). Voila's own directory
listing, contents API and file handler are left out; the landing and review pages are added;
every dashboard request goes through `auth.DashboardAuthorizer`. Kernels accept only widget
(comm) messages from browsers, never code.
"""
from __future__ import annotations

import os
import sys
from urllib.parse import urlparse

from jupyter_server.utils import url_path_join
from tornado.ioloop import PeriodicCallback
from traitlets import Float
from voila.app import Voila
from voila.static_file_handler import AllowListFileHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from .. import publish
from ..config import settings
from . import pages
from .auth import DASHBOARD, gated
from .pool import Refresher, pool_size

LEFT_OUT = (TornadoVoilaTreeHandler, VoilaContentsHandler, AllowListFileHandler)
SERVICE_PREFIX = "/services/dashboards/"


class DashboardApp(Voila):
    """Voila with hub login, per-dashboard audience, landing and review pages, fresh pools."""

    name = "agora-dashboards"
    refresh_interval = Float(5.0, config=True,
                             help="Seconds between checks for newly published dashboards or data.")

    def init_handlers(self) -> list:
        handlers = []
        for pattern, cls, *rest in super().init_handlers():
            if cls in LEFT_OUT:
                continue
            if cls is TornadoVoilaHandler:
                cls = gated(cls, DASHBOARD)
            if not pattern.startswith(self.server_url):   # the identity provider's own pages
                pattern = url_path_join(self.server_url, pattern)
            handlers.append((pattern, cls, *rest))
        self._seal_hub_credentials()
        self.refresher = Refresher(self.kernel_manager, self.root_dir)
        self.app.settings["agora_last_refresh"] = self.refresher.last_refresh
        PeriodicCallback(self.refresher.check, self.refresh_interval * 1000).start()
        return pages.handlers(self.server_url) + handlers

    def _seal_hub_credentials(self) -> None:
        """Read the hub OAuth settings now, then drop them from the environment so that dashboard
        kernels (which inherit it) never see the service's API token."""
        hub_auth = self.identity_provider.hub_auth
        for name in hub_auth.trait_names():
            getattr(hub_auth, name)
        for key in [k for k in os.environ if k.startswith("JUPYTERHUB_")]:
            del os.environ[key]


def argv(extra: list[str] | None = None) -> list[str]:
    """Command-line configuration from the hub's service environment and Agora settings."""
    s = settings()
    root = publish.served_dir()
    root.mkdir(parents=True, exist_ok=True)
    url = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL")
                   or f"http://127.0.0.1:{s.dashboards_port}")
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX") or SERVICE_PREFIX
    size = pool_size(len(list(root.glob("*.ipynb"))))
    return [
        str(root), "--no-browser", f"--Voila.ip={url.hostname}", f"--Voila.port={url.port}",
        "--Voila.port_retries=0", f"--Voila.base_url={prefix}",
        f"--preheat_kernel={size > 0}", f"--pool_size={size}",
        "--strip_sources=True", "--show_tracebacks=False",
        "--Voila.identity_provider_class=agora.dashboards.auth.HubIdentityProvider",
        "--Voila.authorizer_class=agora.dashboards.auth.DashboardAuthorizer",
        "--MappingKernelManager.cull_idle_timeout=600",
        "--MappingKernelManager.cull_interval=60",
        *(extra or []),
    ]


def main(extra: list[str] | None = None) -> None:
    DashboardApp.launch_instance(argv(sys.argv[1:] if extra is None else extra))


if __name__ == "__main__":
    main()
