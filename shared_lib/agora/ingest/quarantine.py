"""Quarantine: reasons in the store, raw rows in the restricted area.

The store's `quarantine` table holds batch, feed, row number and reason only. The raw bad rows,
identifiers included, go only to `settings().quarantine_dir` (root only, 0700), one Parquet file
per batch, written under a staging folder and moved into place when the snapshot is published.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..config import settings
from .sqltext import render

STAGING_PREFIX = ".staging-"


def area() -> Path:
    """The quarantine area, created 0700 (and re-tightened) on use."""
    d = settings().quarantine_dir
    d.mkdir(parents=True, exist_ok=True)
    os.chmod(d, 0o700)
    return d


def staging(build_number: int) -> Path:
    """A private folder for this build's raw rows; stale ones are removed."""
    root = area()
    for old in root.glob(STAGING_PREFIX + "*"):
        shutil.rmtree(old, ignore_errors=True)
    d = root / f"{STAGING_PREFIX}{build_number}-{os.getpid()}"
    d.mkdir(mode=0o700)
    return d


def record(con, batch: int, feed: str) -> None:
    """Insert the batch's quarantine reasons into the store."""
    con.execute(render("quarantine"), {"batch": batch, "feed": feed})


def keep_raw(con, folder: Path, batch: int, feed: str) -> None:
    """Write the raw bad rows (with their reasons) to the staging folder."""
    rel = con.sql("SELECT v._row AS row_number, v.reason, raw.* EXCLUDE (_rn) FROM raw "
                  "JOIN verdict v ON v._row = raw._rn WHERE v.reason IS NOT NULL "
                  "ORDER BY v._row")
    rel.write_parquet(str(folder / f"batch_{batch:06d}_{feed}.parquet"))


def publish(folder: Path) -> None:
    """Move staged files into the quarantine area (after the snapshot is published)."""
    for f in folder.iterdir():
        os.chmod(f, 0o600)
        os.replace(f, folder.parent / f.name)
    shutil.rmtree(folder, ignore_errors=True)
