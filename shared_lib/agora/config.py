"""Every Agora setting in one place: typed, defaulted, documented, read from the environment.

`settings()` returns the current values; `agora config` prints them with their help text, and the
README's configuration table is generated from `SETTINGS` (a test keeps the two in step).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable


@dataclass(frozen=True)
class Setting:
    name: str          # attribute name on Settings
    env: str           # environment variable
    default: Any
    help: str
    parse: Callable[[str], Any] = str


def _path(value: str) -> Path:
    return Path(value).expanduser()


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", "AGORA_DATA_DIR", "/srv/agora",
            "Data directory: store snapshots, quarantine, scratch, org and shared folders, reports.",
            _path),
    Setting("key_file", "AGORA_KEY_FILE", "/etc/agora/pseudonym.key",
            "Pseudonymisation key (HMAC-SHA256). Must live outside the data directory; "
            "created with mode 0600 on first use; readable only by ingestion and re-identification.",
            _path),
    Setting("scale", "AGORA_SCALE", 0.01,
            "Synthetic population scale: 1.0 is about 1.2 million residents.", float),
    Setting("seed", "AGORA_SEED", 42, "Random seed for synthetic data (same seed, same feeds).", int),
    Setting("months", "AGORA_MONTHS", 12, "Months of synthetic activity to generate.", int),
    Setting("venv", "AGORA_VENV", "/opt/agora/venv",
            "World-readable Python environment that spawned single-user servers and kernels run.",
            _path),
    Setting("proxy_cmd", "AGORA_PROXY_CMD",
            "/opt/agora/node/node_modules/.bin/configurable-http-proxy",
            "configurable-http-proxy executable used by the hub.", _path),
    Setting("hub_ip", "AGORA_HUB_IP", "127.0.0.1", "Address the hub listens on."),
    Setting("hub_port", "AGORA_HUB_PORT", 8000, "Port the hub listens on.", int),
    Setting("threads", "AGORA_THREADS", 2, "DuckDB worker threads per connection.", int),
    Setting("memory_limit", "AGORA_MEMORY_LIMIT", "8GB", "DuckDB memory limit for loads."),
)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    key_file: Path
    scale: float
    seed: int
    months: int
    venv: Path
    proxy_cmd: Path
    hub_ip: str
    hub_port: int
    threads: int
    memory_limit: str

    # Derived locations inside the data directory (one place to change the layout).
    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def feeds_dir(self) -> Path:
        return self.data_dir / "feeds"

    @property
    def scratch_dir(self) -> Path:
        return self.data_dir / "scratch"

    @property
    def orgs_dir(self) -> Path:
        return self.data_dir / "orgs"

    @property
    def shared_dir(self) -> Path:
        return self.data_dir / "shared"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def publish_dir(self) -> Path:
        return self.data_dir / "published"

    @property
    def audit_dir(self) -> Path:
        return self.data_dir / "audit"

    @property
    def hub_dir(self) -> Path:
        return self.data_dir / "hub"


class ConfigError(ValueError):
    """A setting has a value that cannot be used."""


def settings(**overrides: Any) -> Settings:
    """Current settings: defaults, then environment variables, then keyword overrides."""
    values: dict[str, Any] = {}
    for s in SETTINGS:
        raw = overrides.get(s.name, os.environ.get(s.env))
        if raw in (None, ""):
            raw = s.default
        try:
            values[s.name] = s.parse(str(raw))
        except ValueError as exc:
            raise ConfigError(f"{s.env}={raw!r} is not valid: {exc}") from None
    unknown = set(overrides) - {s.name for s in SETTINGS}
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    return Settings(**values)
