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


def _bool(value: str) -> bool:
    if value.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if value.strip().lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected true/false")


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
    Setting("hub_api_port", "AGORA_HUB_API_PORT", 8081,
            "Loopback port of the hub's own API (behind the proxy).", int),
    Setting("proxy_api_port", "AGORA_PROXY_API_PORT", 8001,
            "Loopback port of configurable-http-proxy's REST API.", int),
    Setting("hub_config_dir", "AGORA_HUB_CONFIG_DIR", str(Path(__file__).resolve().parents[2] / "hub_config"),
            "Folder with organisations.yaml (and demo_users.yaml) the hub and `agora admin` use.",
            _path),
    Setting("hub_auth", "AGORA_HUB_AUTH", "native",
            "Hub login: 'native' (sign-up with admin approval) or 'azuread' (Azure AD OAuth; "
            "client id/secret/tenant from OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, AAD_TENANT_ID)."),
    Setting("hub_demo", "AGORA_HUB_DEMO", False,
            "Demo mode: also load demo_users.yaml and give its users their known passwords.", _bool),
    Setting("idle_timeout", "AGORA_IDLE_TIMEOUT", 3600,
            "Seconds before an idle single-user server is stopped by the idle culler.", int),
    Setting("reports_schedule", "AGORA_REPORTS_SCHEDULE",
            str(Path(__file__).resolve().parents[2] / "reports" / "schedule.yaml"),
            "Report schedule (YAML): cron x template x parameter sets x audience.", _path),
    Setting("templates_dir", "AGORA_TEMPLATES_DIR",
            str(Path(__file__).resolve().parents[2] / "templates"),
            "Folder of report templates (parameterised notebooks).", _path),
    Setting("reports_workers", "AGORA_REPORTS_WORKERS", 2,
            "Report runs executed in parallel by the scheduler.", int),
    Setting("reports_timeout", "AGORA_REPORTS_TIMEOUT", 600,
            "Seconds a report run may take before its kernel is stopped and the run fails.", int),
    Setting("reports_retries", "AGORA_REPORTS_RETRIES", 2,
            "Retries of a failed report run (not of one the SDC gate stopped).", int),
    Setting("reports_backoff", "AGORA_REPORTS_BACKOFF", 60.0,
            "Seconds before the first retry; doubled for each further retry.", float),
    Setting("reports_catchup_hours", "AGORA_REPORTS_CATCHUP_HOURS", 48.0,
            "How far back the scheduler catches up runs missed while it was down.", float),
    Setting("reports_port", "AGORA_REPORTS_PORT", 8765,
            "Loopback port of the reports web service (a hub-managed service).", int),
    Setting("dashboards_port", "AGORA_DASHBOARDS_PORT", 8012,
            "Loopback port of the dashboards service (Voila behind the hub login).", int),
    Setting("dashboards_pool", "AGORA_DASHBOARDS_POOL", 0,
            "Preheated kernels kept ready per dashboard; 0 sizes the pool from free memory, "
            "-1 turns preheating off (a kernel is started per visit).", int),
    Setting("threads", "AGORA_THREADS", 2, "DuckDB worker threads per connection.", int),
    Setting("bench_scale", "AGORA_BENCH_SCALE", 0.02,
            "Scale of the stores benchmarks build (tests/bench); 1.0 is the full partnership.",
            float),
    Setting("memory_limit", "AGORA_MEMORY_LIMIT", "8GB", "DuckDB memory limit for loads."),
    Setting("snapshots_kept", "AGORA_SNAPSHOTS_KEPT", 3,
            "Store snapshots kept after a publish (the current one and older ones).", int),
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
    hub_api_port: int
    proxy_api_port: int
    hub_config_dir: Path
    hub_auth: str
    hub_demo: bool
    idle_timeout: int
    reports_schedule: Path
    templates_dir: Path
    reports_workers: int
    reports_timeout: int
    reports_retries: int
    reports_backoff: float
    reports_catchup_hours: float
    reports_port: int
    dashboards_port: int
    dashboards_pool: int
    threads: int
    bench_scale: float
    memory_limit: str
    snapshots_kept: int

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
    def catalogue_dir(self) -> Path:
        return self.data_dir / "catalogue"

    @property
    def dqir_dir(self) -> Path:
        """The data quality issues register: group-writable by data stewards only."""
        return self.data_dir / "dqir"

    @property
    def audit_dir(self) -> Path:
        return self.data_dir / "audit"

    @property
    def hub_dir(self) -> Path:
        return self.data_dir / "hub"

    @property
    def homes_dir(self) -> Path:
        return self.data_dir / "home"


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
