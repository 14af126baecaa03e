"""Snapshots: each load builds the next snapshot and publishes it atomically.

Layout under `settings().store_dir`:

    snapshots/<n>/restricted.duckdb   full store, mode 0600 (ingestion, direct-care re-identification)
    snapshots/<n>/analyst.duckdb      opt-out people removed, world readable (secondary use)
    current -> snapshots/<n>          symlink, swapped with os.replace (one atomic rename)
    .writer.lock                      held by the one running build

A build copies the current restricted file into `snapshots/.build-<n>-<pid>/`, changes it there,
runs the post-load hooks, writes the analyst copy and renames the folder into place before the
symlink swap. Readers open files read-only and never see a half load; a failed or killed build
leaves `current` as it was, and its folder is removed by the next build.
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from ..config import settings
from .analyst import build_analyst
from .errors import NoSnapshot, StoreError
from .hooks import run_post_load
from .lock import WriterLock
from .schema import create_schema

RESTRICTED = "restricted.duckdb"
ANALYST = "analyst.duckdb"
BUILD_PREFIX = ".build-"


def store_dir() -> Path:
    return settings().store_dir


def snapshots_dir() -> Path:
    return store_dir() / "snapshots"


def current_dir() -> Path | None:
    """The folder of the current snapshot, or None before the first publish."""
    link = store_dir() / "current"
    if not link.is_symlink():
        return None
    return link.resolve()


def current_path(restricted: bool = False) -> Path:
    """Path of the current snapshot file: the analyst copy, or the full restricted one."""
    d = current_dir()
    if d is None:
        raise NoSnapshot(f"no store snapshot in {store_dir()} yet: run `agora ingest DIR` first")
    return d / (RESTRICTED if restricted else ANALYST)


def connect(read_only: bool = True, restricted: bool = False) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the current snapshot (analyst copy unless `restricted`).

    Published snapshots are never written: to change the store use `agora.store.write()`.
    """
    if not read_only:
        raise StoreError("published snapshots are read-only: change the store through "
                         "`agora ingest` or `with agora.store.write() as con:`")
    path = current_path(restricted)
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        raise StoreError(f"cannot open snapshot {path}: {exc}") from None


def numbers() -> list[int]:
    d = snapshots_dir()
    return sorted(int(p.name) for p in d.iterdir() if p.name.isdigit()) if d.exists() else []


def _configure(con: duckdb.DuckDBPyConnection, spill: Path) -> None:
    s = settings()
    con.execute("SET threads = $t", {"t": s.threads})
    con.execute("SET memory_limit = $m", {"m": s.memory_limit})
    con.execute("SET temp_directory = $d", {"d": str(spill)})
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    # A build is disposable until published: checkpoint once at the end, not after each commit.
    con.execute("SET checkpoint_threshold = '1TB'")


def _clean_stale() -> None:
    """Remove build folders left by failed or killed builds (the caller holds the lock)."""
    for p in snapshots_dir().glob(BUILD_PREFIX + "*"):
        shutil.rmtree(p, ignore_errors=True)
    for p in store_dir().glob(".current-*"):
        p.unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _retain(keep: int) -> None:
    cur = current_dir()
    for n in numbers()[:-max(keep, 1)]:
        p = snapshots_dir() / str(n)
        if p != cur:
            shutil.rmtree(p, ignore_errors=True)


class Build:
    """A snapshot being built: `con` is read-write on the next restricted file."""

    def __init__(self, folder: Path, number: int, con: duckdb.DuckDBPyConnection):
        self.folder = folder
        self.number = number
        self.con = con
        self.publish_wanted = True

    def discard(self) -> None:
        """Do not publish this build (nothing changed)."""
        self.publish_wanted = False


def scratch_connection(build: "Build") -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the build's settings, for work that may fail harmlessly
    (reading untrusted files) outside the build's transaction."""
    con = duckdb.connect()
    _configure(con, build.folder / ".spill-scratch")
    return con


@contextmanager
def write(run_hooks: bool = True) -> Iterator[Build]:
    """Build the next snapshot; publish it when the block ends without error.

    Holds the writer lock throughout. On error (or `build.discard()`), nothing is published and
    the build folder is removed.
    """
    root = store_dir()
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o755)
    with WriterLock(root):
        snapshots_dir().mkdir(exist_ok=True)
        _clean_stale()
        number = max(numbers(), default=0) + 1
        folder = snapshots_dir() / f"{BUILD_PREFIX}{number}-{os.getpid()}"
        folder.mkdir(mode=0o700)
        try:
            restricted = folder / RESTRICTED
            cur = current_dir()
            if cur is not None:   # the folder is 0700, so the copy is private until publish
                shutil.copyfile(cur / RESTRICTED, restricted)
            con = duckdb.connect(str(restricted))
            try:
                _configure(con, folder / ".spill")
                create_schema(con)
                build = Build(folder, number, con)
                yield build
                if build.publish_wanted:
                    if run_hooks:
                        run_post_load(con)
                    con.execute("CHECKPOINT")
                    build_analyst(con, folder / ANALYST)
            finally:
                con.close()
            if build.publish_wanted:
                _publish(folder, number)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _publish(folder: Path, number: int) -> None:
    root = store_dir()
    for extra in folder.iterdir():          # spill and work folders: only the two files stay
        if extra.name not in (RESTRICTED, ANALYST):
            shutil.rmtree(extra, ignore_errors=True) if extra.is_dir() else extra.unlink()
    os.chmod(folder / RESTRICTED, 0o600)
    os.chmod(folder / ANALYST, 0o644)
    for f in (RESTRICTED, ANALYST):
        _fsync_file(folder / f)
    os.chmod(folder, 0o755)
    final = snapshots_dir() / str(number)
    os.rename(folder, final)
    _fsync_dir(snapshots_dir())
    tmp_link = root / f".current-{os.getpid()}"
    tmp_link.unlink(missing_ok=True)
    os.symlink(f"snapshots/{number}", tmp_link)
    os.replace(tmp_link, root / "current")
    _fsync_dir(root)
    _retain(settings().snapshots_kept)
