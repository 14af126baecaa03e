"""On-disk layout of published dashboards, with atomic writes under one lock.

    <publish_dir>/<slug>/meta.json          title, audience, owner, versions, submissions
    <publish_dir>/<slug>/submissions/s<N>.ipynb   submitted, awaiting review (or decided)
    <publish_dir>/<slug>/v<N>.ipynb          approved versions: numbered, read-only, never changed
    <publish_dir>/_served/<slug>.ipynb       the current approved version of each dashboard: the
                                             only directory the dashboard server can read
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterator

from ..config import settings
from . import names
from .errors import NotFound

SERVED = "_served"      # cannot clash with a slug: slugs never start with '_'


def root() -> Path:
    return settings().publish_dir


def served_dir() -> Path:
    return root() / SERVED


def slug_dir(slug: str) -> Path:
    return root() / names.slug(slug)


@contextlib.contextmanager
def locked() -> Iterator[None]:
    """Serialise every change to the publish directory (across processes)."""
    root().mkdir(parents=True, exist_ok=True)
    with open(root() / ".lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def read_meta(slug: str) -> dict[str, Any]:
    path = slug_dir(slug) / "meta.json"
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise NotFound(f"no dashboard named {slug!r}") from None


def write_meta(meta: dict[str, Any]) -> None:
    write_atomic(slug_dir(meta["slug"]) / "meta.json",
                 json.dumps(meta, indent=1, sort_keys=True).encode())


def all_meta() -> list[dict[str, Any]]:
    if not root().is_dir():
        return []
    out = []
    for meta in sorted(root().glob("*/meta.json")):
        with contextlib.suppress(ValueError, OSError):
            out.append(json.loads(meta.read_text()))
    return out


def submission_path(slug: str, number: int) -> Path:
    return slug_dir(slug) / "submissions" / f"s{number}.ipynb"


def version_path(slug: str, number: int) -> Path:
    return slug_dir(slug) / f"v{number}.ipynb"


def serve(slug: str, version: int | None) -> None:
    """Make `version` the served copy of `slug` (None: serve nothing)."""
    target = served_dir() / f"{names.slug(slug)}.ipynb"
    if version is None:
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        return
    write_atomic(target, version_path(slug, version).read_bytes(), mode=0o444)


def copy_readonly(src: Path, dst: Path) -> None:
    if dst.exists():
        raise FileExistsError(f"{dst} exists: published versions are never overwritten")
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".tmp-{dst.name}")
    shutil.copyfile(src, tmp)
    os.chmod(tmp, 0o444)
    os.replace(tmp, dst)
