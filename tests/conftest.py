"""Shared test fixtures. Tests never touch the real data directory or key."""
from __future__ import annotations

import pytest


@pytest.fixture
def agora_env(tmp_path, monkeypatch):
    """A fresh data directory and key file (outside it) for one test."""
    data = tmp_path / "data"
    data.mkdir()
    key = tmp_path / "keys" / "pseudonym.key"
    monkeypatch.setenv("AGORA_DATA_DIR", str(data))
    monkeypatch.setenv("AGORA_KEY_FILE", str(key))
    return data, key


@pytest.fixture(scope="session")
def running_hub():
    """A real hub (configurable-http-proxy, real Unix users) with test organisations and users
    and a tiny store, shared by the session; see agora.hub.testing for its helpers."""
    from agora.hub.testing import hub_session
    with hub_session() as hub:
        yield hub
