"""The reports area: private work folders, atomic publishing, and what has been published.

Layout under `settings().reports_dir`::

    <audience>/<report>/<scheduled time>/report.html, report.ipynb, run.json   published
    _work/<run>@<host>@<pid>@<start>/                                          runs in progress
    _failed/<run id>-<attempt>.ipynb                                           failed notebooks
    _history/history.sqlite                                                    run history

A run writes into its work folder and is published by one `rename` into place, so a reader sees
a whole report or none; a failed or killed run leaves only a work folder, removed later.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from agora.config import settings
from agora.reports.history import owner_alive

WORK, FAILED = "_work", "_failed"
FILES = ("report.html", "report.ipynb", "run.json")


def reports_dir() -> Path:
    root = settings().reports_dir
    root.mkdir(parents=True, exist_ok=True, mode=0o750)
    return root


def work_root() -> Path:
    path = reports_dir() / WORK
    path.mkdir(exist_ok=True, mode=0o700)
    return path


def work_folder(run_id: int, owner: str) -> Path:
    """A fresh private folder for one attempt; its name records the owner for clean-up."""
    path = work_root() / "@".join([str(run_id), *owner.split(":")])
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(mode=0o700)
    return path


def final_folder(audience: str, slug: str, scheduled_time: str) -> Path:
    return reports_dir() / audience / slug / scheduled_time


def publish(work: Path, final: Path) -> Path:
    """Move a complete work folder into place in one rename. Fails if `final` exists."""
    missing = [f for f in FILES if not (work / f).is_file()]
    if missing:
        raise FileNotFoundError(f"incomplete report in {work}: missing {missing}")
    final.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    for f in FILES:
        with open(work / f, "rb") as fh:
            os.fsync(fh.fileno())
    os.rename(work, final)   # atomic within one filesystem; raises if final is a non-empty dir
    os.chmod(final, 0o750)
    return final


def keep_failed(nb_path: Path, run_id: int, attempt: int) -> Path | None:
    """Keep a failed run's notebook (for stewards to debug); never published."""
    if not nb_path.is_file():
        return None
    folder = reports_dir() / FAILED
    folder.mkdir(exist_ok=True, mode=0o700)
    dest = folder / f"{run_id}-{attempt}.ipynb"
    shutil.copyfile(nb_path, dest)
    return dest


def clean_work() -> list[Path]:
    """Remove work folders left by processes that are gone (killed runs)."""
    removed = []
    for path in work_root().iterdir():
        parts = path.name.split("@")
        if len(parts) == 4 and not owner_alive(":".join(parts[1:]), None):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def published(audience: str | None = None) -> list[dict]:
    """Every published report folder with its run.json, newest first."""
    root = reports_dir()
    found = []
    for meta in root.glob("*/*/*/run.json"):
        if meta.parts[-4].startswith("_") or (audience and meta.parts[-4] != audience):
            continue
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        info["folder"] = str(meta.parent)
        found.append(info)
    return sorted(found, key=lambda r: r.get("scheduled_time", ""), reverse=True)
