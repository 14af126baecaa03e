"""Publish the dashboard families in templates/dashboards for the demo (submit + approve)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import nbformat

from .. import publish
from ..config import settings
from ..publish.actors import STEWARD, Actor
from ..publish import store

DEMO_STEWARD = "stew"


def families(folder: Path | None = None) -> list[Path]:
    """The dashboard notebooks shipped with Agora."""
    folder = folder or settings().templates_dir / "dashboards"
    return sorted(folder.glob("*.ipynb"))


def _cleared_sha(path: Path) -> str:
    cleared = nbformat.writes(publish.workflow.load_notebook(path))
    return hashlib.sha256(cleared.encode()).hexdigest()


def publish_families(steward: str = DEMO_STEWARD, audience: str = "partnership",
                     folder: Path | None = None) -> list[str]:
    """Submit and approve every family notebook as `steward`; unchanged ones are left as they
    are. Returns the slugs now served."""
    actor = Actor(steward, frozenset({STEWARD}), frozenset())
    slugs = []
    for path in families(folder):
        info = nbformat.read(path, as_version=4).metadata.get("agora", {})
        slug = path.stem.replace("_", "-")
        try:
            meta = store.read_meta(slug)
            current = meta["versions"][meta["current"] - 1] if meta.get("current") else None
        except publish.NotFound:
            current = None
        if current is None or current["sha256"] != _cleared_sha(path):
            publish.submit(path, title=info.get("title", path.stem.replace("_", " ").title()),
                           description=info.get("description", ""), audience=audience,
                           owner=steward, slug=slug, actor=actor)
            publish.approve(slug, actor, comment="demo dashboards")
        slugs.append(slug)
    return slugs
