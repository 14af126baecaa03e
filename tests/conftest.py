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
def running_hub(request):
    """A real hub (configurable-http-proxy, real Unix users) with test organisations and users
    over a copy of the small store, shared by the session; see agora.hub.testing."""
    from agora.hub.testing import hub_session
    try:
        store = request.getfixturevalue("small_store").data_dir / "store"
    except Exception as exc:  # the hub's own tests still run over an empty snapshot
        import warnings
        warnings.warn(f"running_hub without the small store: {exc}")
        store = None
    with hub_session(store_from=store) as hub:
        yield hub


# A tiny real store (synth -> ingest), shared by the session ----------------------------------------
SMALL_SCALE, SMALL_MONTHS, SMALL_SEED = 0.002, 3, 20250401


@pytest.fixture(scope="session")
def small_store(tmp_path_factory):
    """Synthetic feeds at a tiny scale (0.002, 3 months, fixed seed) ingested into a fresh data
    directory, with the real post-load hooks. Returns a SmallStore: data_dir, key_file,
    feeds_dir (the synth output folder), manifest (dict), analyst and restricted snapshot paths,
    and `env` (the AGORA_* variables that point at it; see the `small_store_env` fixture)."""
    import json
    from dataclasses import dataclass

    from click.testing import CliRunner

    from agora.cli import main

    @dataclass(frozen=True)
    class SmallStore:
        data_dir: object
        key_file: object
        feeds_dir: object
        manifest: dict
        analyst: object
        restricted: object
        env: dict

    root = tmp_path_factory.mktemp("small_store")
    env = {"AGORA_DATA_DIR": str(root / "data"), "AGORA_KEY_FILE": str(root / "keys" / "key")}
    out = root / "synth"
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        runner = CliRunner()
        r = runner.invoke(main, ["synth", "--scale", str(SMALL_SCALE), "--months",
                                 str(SMALL_MONTHS), "--seed", str(SMALL_SEED), "--out", str(out)])
        assert r.exit_code == 0, r.output
        r = runner.invoke(main, ["ingest", "-q", str(out)])
        assert r.exit_code == 0, r.output
        from agora import store
        analyst, restricted = store.current_path(), store.current_path(restricted=True)
    manifest = json.loads((out / "manifest.json").read_text())
    return SmallStore(root / "data", root / "keys" / "key", out, manifest, analyst, restricted,
                      env)


@pytest.fixture
def small_store_env(small_store, monkeypatch):
    """Point AGORA_DATA_DIR / AGORA_KEY_FILE at the session's small store for one test."""
    for k, v in small_store.env.items():
        monkeypatch.setenv(k, v)
    return small_store
