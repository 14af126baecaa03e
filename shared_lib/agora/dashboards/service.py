"""The dashboards server as a hub-managed service (registered in agora.hub.services.SERVICES)."""
from __future__ import annotations

from ..config import Settings

NAME = "dashboards"


def hub_service(s: Settings) -> tuple[dict, list[dict]]:
    """(service, roles): Voila behind hub OAuth on a loopback port. Everyone logged in holds
    access:services!service=dashboards (agora.hub.roles); stewards' tokens also carry
    custom:agora:publish so the service can show them the review pages."""
    env = {"AGORA_DATA_DIR": str(s.data_dir), "AGORA_HUB_CONFIG_DIR": str(s.hub_config_dir),
           "AGORA_HUB_DEMO": str(s.hub_demo).lower(),
           "AGORA_DASHBOARDS_POOL": str(s.dashboards_pool),
           "AGORA_THREADS": str(s.threads), "AGORA_MEMORY_LIMIT": s.memory_limit,
           "PATH": f"{s.venv / 'bin'}:/usr/bin:/bin"}
    service = {
        "name": NAME,
        "url": f"http://127.0.0.1:{s.dashboards_port}",
        "command": [str(s.venv / "bin" / "python"), "-m", "agora.dashboards.app"],
        "environment": env,
        "oauth_no_confirm": True,
        "oauth_client_allowed_scopes": ["custom:agora:publish"],
        "display": True,
        "info": {"description": "Published dashboards for the partnership."},
    }
    return service, []
