"""configure(c): the JupyterHub configuration built from settings and YAML (nothing applied)."""
from __future__ import annotations

import logging
import os
import stat

import pytest
import yaml
from traitlets.config import Config

from agora.config import settings
from agora.hub import services
from agora.hub.auth import AgoraAzureAdOAuthenticator, AgoraNativeAuthenticator
from agora.hub.config import configure, hub_groups
from agora.hub.errors import DirectoryError, HubError
from agora.hub.kernel import KERNEL_CONFIG, install_kernel_config
from agora.hub.roles import ROLE_SCOPES, hub_roles, role_group

ORGS = {"organisations": [
    {"code": "RAJ", "name": "Trust", "kind": "acute_trust", "group": "org-raj"},
    {"code": "F81001", "name": "Practice", "kind": "gp_practice", "group": "org-f81001"}],
    "users": [{"name": "ana", "org": "RAJ", "role": "analyst"},
              {"name": "boss", "org": "RAJ", "role": "admin"},
              {"name": "old", "org": "RAJ", "role": "analyst", "disabled": True}]}
DEMO = {"users": [{"name": "vic", "org": "RAJ", "role": "viewer", "password": "viewer-pass-1"},
                  {"name": "gp1", "org": "F81001", "role": "direct_care", "practice": "F81001",
                   "password": "gp-password-1"}]}


@pytest.fixture
def hub_settings(tmp_path, agora_env):
    cfg = tmp_path / "hub_config"
    cfg.mkdir()
    (cfg / "organisations.yaml").write_text(yaml.safe_dump(ORGS))
    (cfg / "demo_users.yaml").write_text(yaml.safe_dump(DEMO))
    return settings(hub_config_dir=str(cfg), hub_demo="true", hub_port="18000",
                    hub_api_port="18081", proxy_api_port="18001")


def test_configure_sets_network_state_and_spawner(hub_settings):
    c = Config()
    configure(c, hub_settings, apply=False)
    s = hub_settings
    assert (c.JupyterHub.ip, c.JupyterHub.port) == ("127.0.0.1", 18000)
    assert (c.JupyterHub.hub_ip, c.JupyterHub.hub_port) == ("127.0.0.1", 18081)
    assert c.ConfigurableHTTPProxy.command == [str(s.proxy_cmd)]
    assert c.ConfigurableHTTPProxy.api_url == "http://127.0.0.1:18001"
    assert c.JupyterHub.db_url == f"sqlite:///{s.hub_dir}/jupyterhub.sqlite"
    assert c.Spawner.cmd == [f"{s.venv}/bin/jupyterhub-singleuser"]
    assert c.Spawner.environment["AGORA_DATA_DIR"] == str(s.data_dir)
    assert "AGORA_KEY_FILE" not in c.Spawner.environment
    assert "AGORA_KEY_FILE" not in c.Spawner.env_keep
    assert c.Spawner.default_url == "/lab"


def test_configure_allowed_and_admin_users(hub_settings):
    c = Config()
    configure(c, hub_settings, apply=False)
    assert c.Authenticator.allowed_users == {"ana", "boss", "vic", "gp1"}  # not the disabled one
    admin = [r for r in c.JupyterHub.load_roles if r["name"] == "admin"]
    assert admin == [{"name": "admin", "users": ["boss"], "services": ["agora-admin"]}]
    assert c.AgoraNativeAuthenticator.seed_passwords == {"vic": "viewer-pass-1",
                                                         "gp1": "gp-password-1"}
    assert c.NativeAuthenticator.allowed_failed_logins == 5
    assert c.NativeAuthenticator.minimum_password_length == 10
    assert c.NativeAuthenticator.check_common_password is True
    assert c.NativeAuthenticator.open_signup is False


def test_no_passwords_outside_demo_mode(hub_settings):
    c = Config()
    from dataclasses import replace
    configure(c, replace(hub_settings, hub_demo=False), apply=False)
    assert "seed_passwords" not in c.AgoraNativeAuthenticator
    assert c.Authenticator.allowed_users == {"ana", "boss"}


def test_groups_by_organisation_and_role(hub_settings):
    c = Config()
    configure(c, hub_settings, apply=False)
    groups = c.JupyterHub.load_groups
    assert groups["org-raj"]["users"] == ["ana", "boss", "vic"]
    assert groups["org-f81001"]["users"] == ["gp1"]
    assert groups["role-analyst"]["users"] == ["ana"]
    assert groups["role-viewer"]["users"] == ["vic"]
    assert groups["role-direct_care"]["users"] == ["gp1"]


def test_roles_map_to_scopes():
    roles = {r["name"]: r for r in hub_roles()}
    # every person: no server of their own, but dashboards and reports
    assert "self" not in roles["user"]["scopes"]
    assert not any(s.startswith("servers") for s in roles["user"]["scopes"])
    assert "access:services!service=dashboards" in roles["user"]["scopes"]
    assert roles["agora-analyst"]["groups"] == ["role-analyst"]
    assert set(roles["agora-analyst"]["scopes"]) == {"self", "shares!user", "read:users:name",
                                                     "read:groups:name"}
    assert {"custom:agora:schedule", "custom:agora:publish", "custom:agora:dq-triage"} \
        <= set(roles["agora-steward"]["scopes"])
    assert "custom:agora:reidentify" in roles["agora-direct_care"]["scopes"]
    assert "custom:agora:reidentify" not in roles["agora-steward"]["scopes"]
    assert "agora-viewer" not in roles  # viewers have only the base scopes
    assert ROLE_SCOPES["viewer"] == []
    with pytest.raises(ValueError, match="unknown role"):
        role_group("superuser")


def test_azuread_configuration_loads_with_the_right_traits(hub_settings, monkeypatch):
    """The IdP cannot run here: check the configuration builds the authenticator correctly."""
    from dataclasses import replace
    monkeypatch.setenv("AAD_TENANT_ID", "00000000-0000-0000-0000-000000000001")
    monkeypatch.setenv("OAUTH_CLIENT_ID", "agora-client")
    monkeypatch.setenv("OAUTH_CLIENT_SECRET", "not-a-real-secret")
    c = Config()
    configure(c, replace(hub_settings, hub_auth="azuread"), apply=False)
    assert c.JupyterHub.authenticator_class is AgoraAzureAdOAuthenticator
    auth = AgoraAzureAdOAuthenticator(config=c)
    assert auth.tenant_id == "00000000-0000-0000-0000-000000000001"
    assert auth.client_id == "agora-client"
    assert auth.oauth_callback_url == "http://127.0.0.1:18000/hub/oauth_callback"
    assert auth.authorize_url.startswith(
        "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/")
    assert auth.username_claim == "preferred_username"
    assert auth.allowed_users == {"ana", "boss", "vic", "gp1"}
    assert auth.normalize_username("Jane.Doe@nhs.net") == "jane-doe"
    assert "seed_passwords" not in c.AgoraNativeAuthenticator


def test_unknown_authenticator_is_refused(hub_settings):
    from dataclasses import replace
    with pytest.raises(HubError, match="AGORA_HUB_AUTH='ldap'"):
        configure(Config(), replace(hub_settings, hub_auth="ldap"), apply=False)


def test_bad_yaml_stops_configuration_before_anything(hub_settings):
    (hub_settings.hub_config_dir / "organisations.yaml").write_text("organisations: [\n")
    with pytest.raises(DirectoryError, match="malformed YAML"):
        configure(Config(), hub_settings, apply=True)
    assert not hub_settings.hub_dir.exists()  # nothing was created


def test_native_authenticator_handlers_replace_login():
    from agora.hub.auth import AgoraLoginHandler
    handlers = dict(AgoraNativeAuthenticator.get_handlers(object.__new__(AgoraNativeAuthenticator), None))
    assert handlers["/login"] is AgoraLoginHandler
    assert "/signup" in handlers and "/authorize" in handlers


def test_services_registry_and_admin_token(hub_settings):
    svcs, roles = services.collect(hub_settings)
    names = [s["name"] for s in svcs]
    assert "idle-culler" in names and "agora-admin" in names
    culler = next(s for s in svcs if s["name"] == "idle-culler")
    assert "--timeout=3600" in culler["command"]
    token_file = services.admin_token_path(hub_settings)
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
    assert services.admin_token(hub_settings) == token_file.read_text().strip()  # stable
    culler_role = next(r for r in roles if r["name"] == "idle-culler")
    assert set(culler_role["scopes"]) == {"list:users", "read:users:activity", "read:servers",
                                          "delete:servers"}


def test_a_broken_service_entry_is_skipped_and_logged(hub_settings, caplog):
    with caplog.at_level(logging.ERROR):
        svcs, _ = services.collect(hub_settings, ["agora.hub.services:idle_culler",
                                                  "agora.no_such_module:service",
                                                  "agora.hub.services:ADMIN_SERVICE"])
    assert [s["name"] for s in svcs] == ["idle-culler"]
    assert "agora.no_such_module:service" in caplog.text


def test_kernel_config_installed_world_readable(tmp_path):
    path = install_kernel_config(tmp_path / "venv")
    assert path == tmp_path / "venv" / "etc" / "ipython" / "ipython_kernel_config.py"
    assert path.read_text() == KERNEL_CONFIG
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644
    assert "agora.ipython" in KERNEL_CONFIG and "import agora" in KERNEL_CONFIG
    mtime = path.stat().st_mtime_ns
    install_kernel_config(tmp_path / "venv")
    assert path.stat().st_mtime_ns == mtime  # unchanged file left alone


def test_hub_groups_skip_disabled_people(hub_settings):
    from agora.hub.orgs import load_directory
    groups = hub_groups(load_directory(hub_settings.hub_config_dir))
    assert "old" not in groups["org-raj"]["users"]
