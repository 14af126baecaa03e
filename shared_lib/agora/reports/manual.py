"""Runs asked for by name (`agora reports run NAME -p key=value`), outside the schedule."""
from __future__ import annotations

import hashlib
import json

from agora.config import settings
from agora.reports import schedule, templates
from agora.reports.errors import ParameterError, ScheduleError
from agora.reports.schedule import PARTNERSHIP, Entry, Run


def manual_runs(name: str, pairs: tuple[str, ...] | list[str], audience: str | None = None
                ) -> list[Run]:
    """The runs NAME means: a schedule entry (all its runs, or those matching -p), one run of it
    (`entry/value`), or a template run with the given parameters for `audience`."""
    given = templates.parse_pairs(pairs)
    path = settings().reports_schedule
    entries = {e.name: e for e in schedule.load(path)} if path.exists() else {}
    base, _, value = name.partition("/")
    if base in entries:
        e = entries[base]
        if audience:
            raise ParameterError("--audience applies to templates; a schedule entry has its own")
        runs = schedule.expand([e])
        if value:
            runs = [r for r in runs if r.entry_id == name]
            if not runs:
                raise ScheduleError(f"schedule entry {base!r} has no run {name!r}")
        checked = templates.coerce(e.template, given)
        key = next(iter(e.for_each), None)
        if key in checked:
            runs = [r for r in runs if r.parameters[key] == checked[key]] or [
                Run(f"{e.name}/{checked[key]}", e, {**runs[0].parameters, **checked},
                    schedule._audience(e, {**runs[0].parameters, **checked}))]
        return [Run(r.entry_id, r.entry, {**r.parameters, **checked},
                    schedule._audience(e, {**r.parameters, **checked})) for r in runs]
    if name in templates.template_names():
        params = templates.coerce(name, given)
        audience = audience or PARTNERSHIP
        if not schedule.AUDIENCE.match(audience):
            raise ParameterError(f"audience {audience!r} is not 'partnership' or an "
                                 "organisation code")
        entry = Entry(name=name.replace("_", "-"), template=name, cron="@yearly",
                      audience=audience, title=name.replace("_", " ").capitalize())
        digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:8]
        entry_id = f"{entry.name}/{digest}" if params else entry.name
        return [Run(entry_id, entry, params, audience)]
    raise ScheduleError(f"{name!r} is neither a schedule entry nor a template; entries: "
                        f"{', '.join(sorted(entries))}; templates: "
                        f"{', '.join(templates.template_names())}")
