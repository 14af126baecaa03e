"""What a reader may see: audiences by hub group, and the catalogue of latest reports.

Readers see partnership-wide reports and those of the organisations whose hub group they are in;
stewards and admins see everything. Organisations and their groups come from the hub's
`organisations.yaml` (`settings().hub_config_dir`).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

from agora.config import settings
from agora.hub.roles import role_group
from agora.reports.history import open_history
from agora.reports.schedule import PARTNERSHIP

ALL_SEEING_GROUPS = frozenset({role_group("steward"), role_group("admin")})


def group_codes() -> dict[str, str]:
    """Hub group -> organisation code."""
    path = settings().hub_config_dir / "organisations.yaml"
    return _group_codes(str(path), path.stat().st_mtime_ns if path.exists() else 0)


@lru_cache(maxsize=4)
def _group_codes(path: str, _mtime: int) -> dict[str, str]:
    if not Path(path).exists():
        return {}
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {o["group"]: o["code"] for o in data.get("organisations", []) if o.get("group")}


def sees_all(groups: Iterable[str]) -> bool:
    return bool(set(groups) & ALL_SEEING_GROUPS)


def audiences(groups: Iterable[str]) -> set[str] | None:
    """Audiences the member of `groups` may read; None means all (stewards, admins)."""
    groups = set(groups or ())
    if sees_all(groups):
        return None
    codes = group_codes()
    return {PARTNERSHIP} | {codes[g] for g in groups if g in codes}


def may_see(groups: Iterable[str], audience: str) -> bool:
    allowed = audiences(groups)
    return allowed is None or audience in allowed


def catalog(groups: Iterable[str]) -> list[dict]:
    """Latest published report of each schedule entry the member of `groups` may see:
    dicts with entry_id, report, title, audience, parameters, scheduled_time, refreshed_at
    (epoch seconds) and path (the folder holding report.html)."""
    allowed = audiences(groups)
    out = []
    for row in open_history().latest_published():
        if allowed is not None and row["audience"] not in allowed:
            continue
        out.append(dict(entry_id=row["entry_id"], report=row["report"], title=row["title"],
                        template=row["template"], audience=row["audience"],
                        parameters=row["parameters"], scheduled_time=row["scheduled_time"],
                        refreshed_at=row["finished_at"], path=row["output_dir"]))
    return out
