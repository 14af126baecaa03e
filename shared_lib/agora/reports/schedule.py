"""The report schedule: load and validate `reports/schedule.yaml`, expand it into runs, find due times.

Each entry is cron x template x parameter sets x audience::

    - name: uec-daily-flow            # unique; lower case, digits and -
      title: UEC daily flow
      template: uec_daily_flow        # templates/uec_daily_flow.ipynb
      cron: "30 6 * * *"              # five fields, UTC
      audience: partnership           # or an organisation code, or "{param}" from the parameters
      parameters: {days: 28}          # fixed parameters (optional)
      for_each: {site_code: sites}    # one run per value: a list, or sites | pcns | organisations

Errors name the entry: unknown template, bad cron, a parameter the template does not declare.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml
from croniter import croniter, croniter_range

from agora.config import settings
from agora.reports import templates
from agora.reports.errors import ParameterError, ScheduleError

ENTRY_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
AUDIENCE = re.compile(r"^(partnership|[A-Z0-9]{3,12})$")
PARTNERSHIP = "partnership"
ENTRY_KEYS = {"name", "title", "template", "cron", "audience", "parameters", "for_each",
              "timeout", "retries", "description"}
MAX_SCHEDULE_BYTES = 1_000_000
TIME_FORMAT = "%Y-%m-%dT%H%M%SZ"  # scheduled times: UTC, to the second, safe in folder names


@dataclass(frozen=True)
class Entry:
    """One schedule entry as written (before expansion over `for_each`)."""
    name: str
    template: str
    cron: str
    audience: str
    title: str = ""
    description: str = ""
    parameters: dict = field(default_factory=dict)
    for_each: dict = field(default_factory=dict)
    timeout: int | None = None
    retries: int | None = None


@dataclass(frozen=True)
class Run:
    """One concrete run specification: an entry with one parameter set and its audience."""
    entry_id: str          # name, or name/value for for_each entries: the history key
    entry: Entry
    parameters: dict
    audience: str

    @property
    def slug(self) -> str:
        """Folder name of this run's outputs within its audience."""
        return self.entry_id.replace("/", "--")


def format_time(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=timezone.utc)


def _fail(where: str, message: str) -> ScheduleError:
    return ScheduleError(f"{where}: {message}")


def _check_cron(where: str, cron: Any) -> str:
    if not isinstance(cron, str) or not cron.strip():
        raise _fail(where, f"cron must be a string such as '30 6 * * *', got {cron!r}")
    cron = cron.strip()
    if not (cron.startswith("@") or len(cron.split()) == 5) or not croniter.is_valid(cron):
        raise _fail(where, f"bad cron expression {cron!r} (five fields: minute hour day month "
                    "weekday, or @daily/@hourly/...)")
    return cron


def _entry(i: int, raw: Any) -> Entry:
    where = f"schedule entry {i + 1}"
    if not isinstance(raw, dict):
        raise _fail(where, f"must be a mapping, got {type(raw).__name__}")
    name = raw.get("name")
    if not isinstance(name, str) or not ENTRY_NAME.match(name):
        raise _fail(where, f"name {name!r} is missing or not valid (lower case, digits, -)")
    where = f"schedule entry {name!r}"
    unknown = set(raw) - ENTRY_KEYS
    if unknown:
        raise _fail(where, f"unknown key(s) {sorted(unknown)}; allowed: {sorted(ENTRY_KEYS)}")
    for key in ("template", "cron", "audience"):
        if key not in raw:
            raise _fail(where, f"{key!r} is missing")
    cron = _check_cron(where, raw["cron"])
    try:
        path = templates.template_path(raw["template"])
    except ScheduleError as exc:
        raise _fail(where, str(exc)) from None
    params = raw.get("parameters") or {}
    for_each = raw.get("for_each") or {}
    if not isinstance(params, dict) or not isinstance(for_each, dict):
        raise _fail(where, "parameters and for_each must be mappings")
    if len(for_each) > 1:
        raise _fail(where, "for_each takes one parameter")
    declared = templates.parameters(path)
    for key in list(params) + list(for_each):
        if key not in declared:
            raise _fail(where, f"parameter {key!r} is not in the parameters cell of template "
                        f"{raw['template']!r} (it declares: {', '.join(sorted(declared))})")
    try:
        templates.coerce(path, params)
    except ParameterError as exc:
        raise _fail(where, str(exc)) from None
    for key, values in for_each.items():
        if not (isinstance(values, list) and values) and values not in SETS:
            raise _fail(where, f"for_each {key!r} must be a non-empty list or one of "
                        f"{sorted(SETS)}, got {values!r}")
    audience = raw["audience"]
    if not isinstance(audience, str) or not (AUDIENCE.match(audience) or (
            audience.startswith("{") and audience.endswith("}")
            and audience[1:-1] in set(params) | set(for_each))):
        raise _fail(where, f"audience {audience!r} must be 'partnership', an organisation code, "
                    "or '{parameter}' naming one of the entry's parameters")
    for key in ("timeout", "retries"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or value < 0 or value > 86400):
            raise _fail(where, f"{key} must be a whole number of {'seconds' if key == 'timeout' else 'retries'}")
    return Entry(name=name, template=raw["template"], cron=cron, audience=audience,
                 title=str(raw.get("title") or name), description=str(raw.get("description") or ""),
                 parameters=dict(params), for_each=dict(for_each),
                 timeout=raw.get("timeout"), retries=raw.get("retries"))


def load(path: Path | None = None) -> list[Entry]:
    """Load and validate the schedule (default `settings().reports_schedule`)."""
    path = Path(path or settings().reports_schedule)
    try:
        if path.stat().st_size > MAX_SCHEDULE_BYTES:
            raise ScheduleError(f"{path}: larger than {MAX_SCHEDULE_BYTES} bytes")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScheduleError(f"schedule file {path} not found") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ScheduleError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("reports"), list):
        raise ScheduleError(f"{path}: expected a mapping with a 'reports' list")
    entries = [_entry(i, raw) for i, raw in enumerate(data["reports"])]
    seen: set[str] = set()
    for e in entries:
        if e.name in seen:
            raise ScheduleError(f"schedule entry {e.name!r}: name used twice")
        seen.add(e.name)
    return entries


# Named parameter sets for for_each, resolved from the store or the hub's organisations ----------
def _store_codes(org_type: str) -> list[str]:
    from agora import store

    con = store.connect()
    try:
        rows = con.execute("SELECT org_code FROM ref_org WHERE org_type = ? ORDER BY org_code",
                           [org_type]).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


def _organisations() -> list[str]:
    path = settings().hub_config_dir / "organisations.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [o["code"] for o in data.get("organisations", [])]


SETS: dict[str, Callable[[], list[str]]] = {
    "sites": lambda: _store_codes("site"),
    "pcns": lambda: _store_codes("pcn"),
    "organisations": _organisations,
}


def expand(entries: Iterable[Entry], sets: dict[str, Callable[[], list[str]]] | None = None
           ) -> list[Run]:
    """Every concrete run of the schedule: entries x their for_each values."""
    sets = sets or SETS
    cache: dict[str, list[str]] = {}
    runs = []
    for e in entries:
        base = templates.coerce(e.template, e.parameters)
        if not e.for_each:
            runs.append(Run(e.name, e, base, _audience(e, base)))
            continue
        (key, values), = e.for_each.items()
        if isinstance(values, str):
            if values not in cache:
                try:
                    cache[values] = sets[values]()
                except Exception as exc:
                    raise ScheduleError(f"schedule entry {e.name!r}: cannot list {values}: {exc}"
                                        ) from None
            values = cache[values]
        for value in values:
            params = {**base, **templates.coerce(e.template, {key: value})}
            runs.append(Run(f"{e.name}/{params[key]}", e, params, _audience(e, params)))
    return runs


def _audience(e: Entry, params: dict) -> str:
    audience = e.audience
    if audience.startswith("{"):
        audience = str(params[audience[1:-1]])
    if not AUDIENCE.match(audience):
        raise ScheduleError(f"schedule entry {e.name!r}: audience {audience!r} is not "
                            "'partnership' or an organisation code")
    return audience


def due_times(cron: str, since: datetime, now: datetime) -> list[datetime]:
    """Times the cron fires in (since, now], oldest first."""
    if since >= now:
        return []
    times = croniter_range(since + timedelta(seconds=1), now, cron)
    return [t.astimezone(timezone.utc).replace(second=0, microsecond=0) for t in times]


def latest_time(cron: str, now: datetime) -> datetime:
    """The most recent time the cron fired at or before `now`."""
    t = croniter(cron, now + timedelta(seconds=1)).get_prev(datetime)
    return t.astimezone(timezone.utc).replace(second=0, microsecond=0)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
