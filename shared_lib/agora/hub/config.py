"""`configure(c)`: the whole JupyterHub configuration, from settings() and organisations.yaml.

hub_config/jupyterhub_config.py only calls this. It validates the directory (a bad YAML stops
the hub with a clear message before anything changes), creates the Unix accounts and folders,
installs the kernel start-up file and sets authenticator, spawner, RBAC, groups and services.
"""
from __future__ import annotations

from ..config import Settings, settings
from . import accounts
from .auth import PASSWORD_RULES, AgoraAzureAdOAuthenticator, AgoraNativeAuthenticator
from .errors import HubError
from .kernel import install_kernel_config
from .orgs import Directory, load_directory
from .roles import CUSTOM_SCOPES, ROLES, hub_roles, role_group
from .services import collect

AUTHENTICATORS = {"native": AgoraNativeAuthenticator, "azuread": AgoraAzureAdOAuthenticator}

# Variables the single-user servers may inherit from the hub (never AGORA_KEY_FILE).
ENV_KEEP = ["LANG", "LC_ALL"]


def hub_groups(directory: Directory) -> dict[str, dict]:
    """JupyterHub groups: one per organisation and one per role, with their members."""
    groups: dict[str, dict] = {o.group: {"users": [], "properties": {"org": code, "name": o.name}}
                               for code, o in directory.orgs.items()}
    for role in ROLES:
        groups[role_group(role)] = {"users": [], "properties": {"role": role}}
    for p in directory.active_users():
        groups[directory.org_of(p).group]["users"].append(p.name)
        groups[role_group(p.role)]["users"].append(p.name)
    return groups


def with_admins(roles: list[dict], admins: list[str]) -> list[dict]:
    """Admins go in JupyterHub's 'admin' role (one spec: services may add themselves to it)."""
    specs = [r for r in roles if r["name"] != "admin"]
    members = [m for r in roles if r["name"] == "admin" for m in r.get("services", [])]
    return specs + [{"name": "admin", "users": admins, "services": members}]


def spawner_environment(s: Settings) -> dict[str, str]:
    """What every single-user server and kernel sees: the store location and the venv."""
    return {
        "AGORA_DATA_DIR": str(s.data_dir),
        "AGORA_VENV": str(s.venv),
        "AGORA_THREADS": str(s.threads),
        "PATH": f"{s.venv}/bin:/usr/local/bin:/usr/bin:/bin",
    }


def landing_url(handler) -> str:
    """Where a person lands after login: viewers (no server) on the dashboards landing page,
    everyone else in their own workspace (started if it is not running)."""
    user = handler.current_user
    if user is None:
        return handler.hub.base_url + "login"
    if any(g.name == role_group("viewer") for g in user.groups):
        return handler.base_url + "services/dashboards/"
    return handler.hub.base_url + "spawn"


def configure(c, s: Settings | None = None, apply: bool = True) -> Directory:
    """Fill the traitlets config `c`. With apply=False nothing on the machine changes."""
    s = s or settings()
    directory = load_directory(s.hub_config_dir, demo=s.hub_demo)
    if apply:
        accounts.setup_all(s, directory)
        install_kernel_config(s.venv)

    # network: the proxy faces users; the hub and proxy APIs stay on loopback, no SSL needed
    c.JupyterHub.ip = s.hub_ip
    c.JupyterHub.port = s.hub_port
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = s.hub_api_port
    c.ConfigurableHTTPProxy.command = [str(s.proxy_cmd)]
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s.proxy_api_port}"
    c.ConfigurableHTTPProxy.pid_file = str(s.hub_dir / "proxy.pid")

    # state lives in the hub folder (0700 root)
    c.JupyterHub.db_url = f"sqlite:///{s.hub_dir / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(s.hub_dir / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(s.hub_dir / "jupyterhub.pid")

    # authentication
    if s.hub_auth not in AUTHENTICATORS:
        raise HubError(f"AGORA_HUB_AUTH={s.hub_auth!r}: expected one of "
                       f"{', '.join(AUTHENTICATORS)}")
    c.JupyterHub.authenticator_class = AUTHENTICATORS[s.hub_auth]
    active = directory.active_users()
    c.Authenticator.allowed_users = {p.name for p in active}
    c.Authenticator.allow_existing_users = True
    if s.hub_auth == "native":
        for trait, value in PASSWORD_RULES.items():
            setattr(c.NativeAuthenticator, trait, value)
        c.NativeAuthenticator.open_signup = False
        if s.hub_demo:
            c.AgoraNativeAuthenticator.seed_passwords = {
                p.name: p.password for p in active if p.password}
    else:
        c.AzureAdOAuthenticator.oauth_callback_url = (
            f"http://{s.hub_ip}:{s.hub_port}/hub/oauth_callback")
        c.AzureAdOAuthenticator.username_claim = "preferred_username"
        c.AzureAdOAuthenticator.scope = ["openid", "email", "profile"]

    # spawner: real Unix users, each server from the world-readable venv
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
    c.Spawner.cmd = [str(s.venv / "bin" / "jupyterhub-singleuser")]
    c.Spawner.default_url = "/lab"
    c.JupyterHub.default_url = landing_url
    c.Spawner.env_keep = ENV_KEEP
    c.Spawner.environment = spawner_environment(s)
    c.Spawner.start_timeout = 180
    c.Spawner.http_timeout = 120
    c.JupyterHub.cleanup_servers = True

    # RBAC: roles via role groups, organisations as groups, services with their roles
    services, service_roles = collect(s)
    c.JupyterHub.custom_scopes = CUSTOM_SCOPES
    c.JupyterHub.load_groups = hub_groups(directory)
    admins = sorted(p.name for p in active if p.role == "admin")
    c.JupyterHub.load_roles = hub_roles() + with_admins(service_roles, admins)
    c.JupyterHub.services = services
    return directory
