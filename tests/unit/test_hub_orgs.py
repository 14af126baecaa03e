"""organisations.yaml / demo_users.yaml: loading, validation with clear errors, write-back."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from agora.hub.errors import DirectoryError
from agora.hub.orgs import (Org, Person, load_directory, save, with_org, with_user)

REPO_HUB_CONFIG = Path(__file__).resolve().parents[2] / "hub_config"

ORGS = [{"code": "RAJ", "name": "Trust", "kind": "acute_trust", "group": "org-raj"},
        {"code": "F81001", "name": "Practice", "kind": "gp_practice", "group": "org-f81001"}]


def write(tmp_path: Path, users=(), demo_users=None, orgs=ORGS, raw: str | None = None) -> Path:
    text = raw if raw is not None else yaml.safe_dump({"organisations": list(orgs),
                                                      "users": list(users)})
    (tmp_path / "organisations.yaml").write_text(text)
    if demo_users is not None:
        (tmp_path / "demo_users.yaml").write_text(yaml.safe_dump({"users": demo_users}))
    return tmp_path


def test_the_shipped_yaml_is_valid_with_the_partner_organisations():
    directory = load_directory(REPO_HUB_CONFIG, demo=True)
    assert {"QH8", "RAJ", "RYC", "R1L"} <= set(directory.orgs)
    kinds = {o.kind for o in directory.orgs.values()}
    assert {"icb", "council", "voluntary", "pcn", "gp_practice"} <= kinds
    assert 9 <= len(directory.orgs) <= 14
    roles = {p.role for p in directory.users.values()}
    assert roles == {"analyst", "steward", "viewer", "direct_care", "admin"}
    assert all(p.password for p in directory.users.values())  # demo users have passwords


def test_demo_users_only_in_demo_mode():
    assert load_directory(REPO_HUB_CONFIG, demo=False).users == {}


def test_loads_people_with_roles(tmp_path):
    d = load_directory(write(tmp_path, users=[
        {"name": "ana", "org": "RAJ", "role": "analyst"},
        {"name": "gp1", "org": "F81001", "role": "direct_care", "practice": "F81001"}]))
    assert d.users["ana"] == Person("ana", "RAJ", "analyst")
    assert d.users["gp1"].practice == "F81001"
    assert d.org_of(d.users["ana"]).group == "org-raj"


@pytest.mark.parametrize("raw, message", [
    ("organisations: [\n  - code: RAJ\n", "malformed YAML"),
    ("- just\n- a list\n", "expected a mapping"),
    ("organisations: 5\n", "must be a list"),
    ("organisations: [5]\n", "must be a mapping"),
    ("organisations: []\nextra: 1\n", "unknown top-level key"),
    ("!!python/object/apply:os.system ['echo hacked']\n", "malformed YAML"),
    ("organisations: [{code: RAJ, name: T, kind: acute_trust}]\n", "missing field(s) group"),
    ("organisations: [{code: RAJ, name: T, kind: acute_trust, group: Org RAJ}]\n",
     "not a valid Unix name"),
    ("organisations: [{code: RAJ, name: T, kind: acute_trust, group: 1abc}]\n",
     "not a valid Unix name"),
    ("organisations: [{code: RAJ, name: T, kind: acute_trust, group: " + "a" * 33 + "}]\n",
     "not a valid Unix name"),
    ("organisations: [{code: raj, name: T, kind: acute_trust, group: g}]\n", "code"),
    ("organisations: [{code: RAJ, name: T, kind: hospital, group: g}]\n", "kind"),
    ("organisations: [{code: RAJ, name: T, kind: acute_trust, group: g},"
     " {code: RAJ, name: U, kind: acute_trust, group: h}]\n", "appears twice"),
    ("organisations: [{code: RAJ, name: T, kind: acute_trust, group: g},"
     " {code: QH8, name: U, kind: icb, group: g}]\n", "used twice"),
    ("organisations: [{code: RAJ, name: T, kind: acute_trust, group: role-analyst}]\n",
     "reserved"),
])
def test_malformed_organisations_get_clear_errors(tmp_path, raw, message):
    with pytest.raises(DirectoryError, match="organisations.yaml") as err:
        load_directory(write(tmp_path, raw=raw))
    assert message in str(err.value)


@pytest.mark.parametrize("user, message", [
    ({"name": "Ana Smith", "org": "RAJ", "role": "analyst"}, "not a valid Unix name"),
    ({"name": "ana;rm", "org": "RAJ", "role": "analyst"}, "not a valid Unix name"),
    ({"name": "ana", "org": "XXX", "role": "analyst"}, "unknown organisation 'XXX'"),
    ({"name": "ana", "org": "RAJ", "role": "superuser"}, "unknown role 'superuser'"),
    ({"name": "ana", "org": "RAJ"}, "missing field(s) role"),
    ({"name": "ana", "org": "RAJ", "role": "analyst", "shell": "/bin/sh"}, "unknown field(s) shell"),
    ({"name": "ana", "org": "F81001", "role": "direct_care"}, "direct_care needs 'practice'"),
    ({"name": "ana", "org": "RAJ", "role": "direct_care", "practice": "RAJ"}, "gp_practice"),
    ({"name": "ana", "org": "RAJ", "role": "analyst", "practice": "F81001"}, "only for the direct_care"),
    ({"name": "ana", "org": "RAJ", "role": "analyst", "password": "0123456789"}, "demo_users.yaml only"),
    ({"name": "ana", "org": "RAJ", "role": "analyst", "disabled": "yes"}, "true or false"),
])
def test_bad_people_get_clear_errors(tmp_path, user, message):
    with pytest.raises(DirectoryError) as err:
        load_directory(write(tmp_path, users=[user]))
    assert message in str(err.value)


def test_duplicate_users_are_refused_naming_both_files(tmp_path):
    config = write(tmp_path, users=[{"name": "ana", "org": "RAJ", "role": "analyst"}],
                   demo_users=[{"name": "ana", "org": "RAJ", "role": "viewer",
                                "password": "long-enough-pw"}])
    load_directory(config)  # not in demo mode: fine
    with pytest.raises(DirectoryError, match="duplicate user 'ana'.*organisations.yaml"):
        load_directory(config, demo=True)


def test_short_demo_password_is_refused(tmp_path):
    config = write(tmp_path, demo_users=[{"name": "ana", "org": "RAJ", "role": "analyst",
                                          "password": "short"}])
    with pytest.raises(DirectoryError, match="at least 10"):
        load_directory(config, demo=True)


def test_missing_and_oversized_files(tmp_path):
    with pytest.raises(DirectoryError, match="file not found"):
        load_directory(tmp_path)
    (tmp_path / "organisations.yaml").write_text("users: []\n# " + "x" * 1_000_001)
    with pytest.raises(DirectoryError, match="too large"):
        load_directory(tmp_path)
    (tmp_path / "organisations.yaml").write_bytes(b"users: [\xff\xfe]\n")
    with pytest.raises(DirectoryError, match="UTF-8"):
        load_directory(tmp_path)


def test_write_back_keeps_header_and_users_in_their_files(tmp_path):
    config = write(tmp_path, demo_users=[{"name": "demo1", "org": "RAJ", "role": "analyst",
                                          "password": "long-enough-pw"}])
    path = config / "organisations.yaml"
    path.write_text("# header kept\n" + path.read_text())
    d = load_directory(config, demo=True)
    d = with_user(d, Person("ben", "RAJ", "steward"))
    d = with_user(d, Person("demo1", "RAJ", "viewer", password="long-enough-pw"))
    d = with_org(d, Org("QH8", "ICB", "icb", "org-qh8"))
    save(d)
    assert path.read_text().startswith("# header kept\n")
    again = load_directory(config, demo=True)
    assert again.users["ben"].role == "steward"
    assert again.users["demo1"].role == "viewer"
    assert "demo1" not in yaml.safe_load(path.read_text())["users"]
    assert "QH8" in again.orgs


def test_with_user_and_with_org_validate(tmp_path):
    d = load_directory(write(tmp_path))
    with pytest.raises(DirectoryError, match="not a valid Unix name"):
        with_user(d, Person("Bad Name", "RAJ", "analyst"))
    with pytest.raises(DirectoryError, match="already exists"):
        with_org(d, Org("RAJ", "again", "acute_trust", "org-raj2"))
    with pytest.raises(DirectoryError, match="used twice"):
        with_org(d, Org("QH8", "ICB", "icb", "org-raj"))
    assert load_directory(tmp_path).users == {}  # nothing written


def test_shipped_files_copy_round_trips(tmp_path):
    shutil.copy(REPO_HUB_CONFIG / "organisations.yaml", tmp_path)
    shutil.copy(REPO_HUB_CONFIG / "demo_users.yaml", tmp_path)
    d = load_directory(tmp_path, demo=True)
    save(d)
    assert load_directory(tmp_path, demo=True) == d
