"""`agora admin` against the running hub: changes take effect at once; bad input and wrong
passwords get clear errors and the hub keeps running."""
from __future__ import annotations

import shutil

import pytest
import requests
import yaml
from click.testing import CliRunner, Result

from agora.cli import main
from agora.hub import accounts
from agora.hub.launch import (make_test_base, make_test_settings, session_prefix, settings_env,
                              write_test_directory)
from agora.hub.orgs import load_directory
from agora.hub.testing import login_response

pytestmark = pytest.mark.slow


def admin(hub, *args: str) -> Result:
    """`agora admin ARGS` with the test hub's settings in the environment."""
    env = {k: v for k, v in settings_env(hub.settings).items() if k.startswith("AGORA_")}
    return CliRunner().invoke(main, ["admin", *args], env=env)


def can_start(hub, name: str) -> int:
    token = hub.client.token(name, note="role check")  # fresh token: scopes as of now
    r = requests.post(f"{hub.url}/hub/api/users/{name}/server",
                      headers={"Authorization": f"token {token}"}, timeout=120)
    return r.status_code


def hub_answers(hub) -> bool:
    return requests.get(f"{hub.url}/hub/api/", timeout=10).status_code == 200


def yaml_text(hub) -> str:
    return (hub.settings.hub_config_dir / "organisations.yaml").read_text()


def test_role_change_takes_effect_on_the_running_hub(running_hub):
    hub = running_hub
    name = hub.name("rita")
    r = admin(hub, "add-user", name, "--org", "RAJ", "--role", "viewer")
    assert r.exit_code == 0, r.output
    assert can_start(hub, name) == 403  # a viewer has no server
    r = admin(hub, "set-role", name, "analyst")
    assert r.exit_code == 0, r.output
    assert can_start(hub, name) in (201, 202)
    model = hub.client.user(name)
    assert "role-analyst" in model["groups"] and "role-viewer" not in model["groups"]
    saved = yaml.safe_load(yaml_text(hub))["users"]
    assert {"name": name, "org": "RAJ", "role": "analyst"} in saved
    hub.client.stop_server(name)


def test_disabled_user_is_removed_from_the_hub_and_kept_in_yaml(running_hub):
    hub = running_hub
    name = hub.name("dora")
    assert admin(hub, "add-user", name, "--org", "QH8", "--role", "analyst").exit_code == 0
    r = admin(hub, "disable-user", name)
    assert r.exit_code == 0, r.output
    assert hub.client.user(name) is None
    saved = {u["name"]: u for u in yaml.safe_load(yaml_text(hub))["users"]}
    assert saved[name]["disabled"] is True
    # signing up again does not get them in: not declared any more, so it needs approval
    session = requests.Session()
    session.get(f"{hub.url}/hub/signup", timeout=30)
    session.post(f"{hub.url}/hub/signup", timeout=30, data={
        "username": name, "signup_password": "a-long-enough-pw-1", "signup_password_confirmation":
        "a-long-enough-pw-1", "_xsrf": session.cookies.get("_xsrf", "")})
    r = login_response(requests.Session(), hub.url, name, "a-long-enough-pw-1")
    assert "/hub/login" in r.url


def test_admin_list_shows_people_and_servers(running_hub):
    r = admin(running_hub, "list")
    assert r.exit_code == 0, r.output
    assert running_hub.name("ana") in r.output


@pytest.mark.parametrize("args, message", [
    (["add-user", "Bad Name", "--org", "RAJ", "--role", "analyst"], "not a valid Unix name"),
    (["add-user", "root", "--org", "RAJ", "--role", "analyst"], "system account"),
    (["add-user", "{ben}", "--org", "RAJ", "--role", "analyst"], "already exists"),
    (["add-user", "{new}", "--org", "NOPE", "--role", "analyst"], "unknown organisation"),
    (["add-user", "{new}", "--org", "RAJ", "--role", "overlord"], "Invalid value"),
    (["add-user", "{new}", "--org", "RAJ", "--role", "direct_care"], "practice"),
    (["add-user", "x" * 40, "--org", "RAJ", "--role", "analyst"], "not a valid Unix name"),
    (["add-user", "a;rm -rf /", "--org", "RAJ", "--role", "analyst"], "not a valid Unix name"),
    (["set-role", "{nobody}", "analyst"], "unknown user"),
    (["add-org", "ZZ9", "--name", "X", "--kind", "council", "--group", "Not-Valid"],
     "not a valid Unix name"),
    (["add-org", "RAJ", "--name", "X", "--kind", "council", "--group", "{prefix}dup"],
     "already exists"),
    (["add-org", "ZZ9", "--name", "X", "--kind", "council", "--group", "{prefix}raj"],
     "used twice"),
])
def test_bad_admin_input_is_refused_clearly_and_changes_nothing(running_hub, args, message):
    hub = running_hub
    prefix = hub.prefix
    args = [a.format(ben=hub.name("ben"), new=hub.name("newbie"), nobody=hub.name("nobody"),
                     prefix=prefix) for a in args]
    before = yaml_text(hub)
    r = admin(hub, *args)
    assert r.exit_code != 0
    assert message in r.output, r.output
    assert yaml_text(hub) == before
    assert hub_answers(hub)


def test_unknown_user_and_wrong_password_are_refused(running_hub):
    hub = running_hub
    for user, password in ((hub.name("ghost"), "whatever-password"),
                           (hub.name("ben"), "not-bens-password"),
                           ("", ""), ("x" * 5000, "y" * 5000), ("<script>", "' or 1=1 --")):
        r = login_response(requests.Session(), hub.url, user, password)
        assert r.status_code < 500
        assert "/hub/login" in r.url
    assert hub_answers(hub)


def test_repeated_wrong_passwords_lock_the_account(running_hub):
    hub = running_hub
    name = hub.name("lock")
    hub.login("lock")  # the right password works at first
    for _ in range(5):
        r = login_response(requests.Session(), hub.url, name, "wrong-password-123")
        assert "/hub/login" in r.url
    r = login_response(requests.Session(), hub.url, name, hub.password("lock"))
    assert "/hub/login" in r.url, "locked account logged in with the right password"
    assert hub_answers(hub)


def test_changes_without_a_running_hub_are_saved_for_its_next_start():
    base = make_test_base()
    s = make_test_settings(base)
    prefix = session_prefix()
    write_test_directory(s.hub_config_dir, prefix, users=[])
    env = {k: v for k, v in settings_env(s).items() if k.startswith("AGORA_")}
    try:
        r = CliRunner().invoke(main, ["admin", "add-user", f"{prefix}nia", "--org", "RAJ",
                                      "--role", "analyst"], env=env)
        assert r.exit_code == 0, r.output
        assert "hub not running" in r.output
        assert load_directory(s.hub_config_dir).users[f"{prefix}nia"].role == "analyst"
        assert accounts.user_exists(f"{prefix}nia")
        assert (s.homes_dir / f"{prefix}nia" / "org").is_symlink()
    finally:
        accounts.teardown_all(load_directory(s.hub_config_dir, demo=True))
        shutil.rmtree(base, ignore_errors=True)
