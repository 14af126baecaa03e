"""Who may reach what on the dashboards server: the authorizer's decisions, worked out by hand."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from agora.dashboards import auth, pool
from agora.dashboards.identity import actor_from_hub
from agora.publish import names

GROUPS = {"org-raj": "RAJ", "org-qh8": "QH8"}


def user(name, groups=(), scopes=()):
    hub_user = {"name": name, "groups": list(groups), "scopes": list(scopes)}
    return SimpleNamespace(username=name, hub_user=hub_user)


def handler(*path_args):
    return SimpleNamespace(path_args=list(path_args))


@pytest.fixture
def served(monkeypatch):
    audiences = {"uec-flow": "partnership", "raj-theatres": "RAJ"}
    monkeypatch.setattr(auth.publish, "audience_of", audiences.get)
    monkeypatch.setattr(auth, "actor_from_hub", lambda u: actor_from_hub(u, GROUPS))
    return auth.DashboardAuthorizer()


VIEWER_QH8 = user("vic", ["org-qh8", "role-viewer"])
ANALYST_RAJ = user("ana", ["org-raj", "role-analyst"])
STEWARD = user("stew", ["org-qh8", "role-steward"], ["custom:agora:publish"])
ROLE_GROUP_ONLY = user("eve", ["org-qh8", "role-steward"])       # group without the scope


@pytest.mark.parametrize("who,path,allowed", [
    (VIEWER_QH8, "uec-flow.ipynb", True),          # partnership dashboards are for everyone
    (VIEWER_QH8, "raj-theatres.ipynb", False),     # another organisation's
    (ANALYST_RAJ, "raj-theatres.ipynb", True),     # one's own organisation's
    (STEWARD, "raj-theatres.ipynb", True),         # stewards review every audience
    (VIEWER_QH8, "draft.ipynb", False),            # not published
    (VIEWER_QH8, "../published/uec-flow/v1.ipynb", False),
    (VIEWER_QH8, "uec-flow", False),               # not a notebook path
    (VIEWER_QH8, "", False),
])
def test_dashboards_by_audience(served, who, path, allowed):
    assert served.is_authorized(handler(path), who, "read", auth.DASHBOARD) is allowed


@pytest.mark.parametrize("resource,action,viewer,steward", [
    (auth.LANDING, "read", True, True),
    (auth.REVIEW, "read", False, True),
    (auth.REVIEW, "write", False, True),
    ("kernels", "execute", True, True),            # the widget channel of a rendered page
    ("kernels", "read", True, True),
    ("kernels", "write", False, False),            # no starting, restarting or deleting
    ("contents", "read", False, False),
    ("sessions", "write", False, False),
    ("terminals", "execute", False, False),
    ("server", "read", False, False),
])
def test_other_resources(served, resource, action, viewer, steward):
    assert served.is_authorized(handler(), VIEWER_QH8, action, resource) is viewer
    assert served.is_authorized(handler(), STEWARD, action, resource) is steward


def test_the_scope_not_the_group_makes_a_steward(served):
    assert served.is_authorized(handler(), ROLE_GROUP_ONLY, "read", auth.REVIEW) is False
    assert served.is_authorized(handler(), user("x"), "read", auth.LANDING) is True
    assert served.is_authorized(handler(), SimpleNamespace(username="anon"), "read",
                                auth.LANDING) is False


def test_actor_from_hub_model():
    a = actor_from_hub({"name": "ana", "groups": ["org-raj", "role-analyst", "other"],
                        "scopes": []}, GROUPS)
    assert (a.name, a.roles, a.orgs) == ("ana", {"analyst"}, {"RAJ"})
    assert a.may_see("partnership") and a.may_see("RAJ") and not a.may_see("QH8")
    s = actor_from_hub({"name": "s", "groups": [], "scopes": ["custom:agora:publish"]}, GROUPS)
    assert s.is_steward and s.may_see("QH8")


@pytest.mark.parametrize("available_gb,dashboards,expected", [
    (20, 9, 1),     # 20 GB * 0.25 / (300 MB * 9) = 1.9 -> 1
    (40, 9, 3),     # 40 GB * 0.25 / (300 MB * 9) = 3.8 -> 3
    (20, 1, 4),     # capped at MAX_POOL
    (2, 9, 1),      # never below one
    (20, 0, 4),     # nothing published yet: sized as for one
])
def test_pool_is_sized_from_free_memory(monkeypatch, available_gb, dashboards, expected):
    monkeypatch.delenv("AGORA_DASHBOARDS_POOL", raising=False)
    assert pool.pool_size(dashboards, available_gb * 2**30) == expected


def test_pool_setting_overrides(monkeypatch):
    monkeypatch.setenv("AGORA_DASHBOARDS_POOL", "3")
    assert pool.pool_size(9, 1) == 3
    monkeypatch.setenv("AGORA_DASHBOARDS_POOL", "-1")
    assert pool.pool_size(9, 2**40) == 0


@pytest.mark.parametrize("value", ["a", "uec-flow", "a1-b2-c3", "x" * 64])
def test_good_slugs(value):
    assert names.slug(value) == value


@pytest.mark.parametrize("value,message", [
    ("x" * 65, "limit is 64"), ("", "empty"), (None, "empty"), ("a/b", "not allowed"),
    ("..", "not allowed"), ("a\n", "not allowed"), ("A", "not allowed"), ("a--b", "not allowed"),
])
def test_bad_slugs(value, message):
    with pytest.raises(names.InvalidName, match=message):
        names.slug(value)


@pytest.mark.parametrize("value,expected", [("v3", 3), ("3", 3), (3, 3), ("s12", 12)])
def test_versions(value, expected):
    assert names.version(value) == expected


@pytest.mark.parametrize("value", ["0", "-1", "v", "1e3", "9999999", "1;drop", None])
def test_bad_versions(value):
    with pytest.raises(names.InvalidName):
        names.version(value)
