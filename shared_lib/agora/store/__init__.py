"""The store: pseudonymised DuckDB snapshots, published atomically.

    agora.store.connect()                  read-only connection to the analyst snapshot
    agora.store.connect(restricted=True)   the full snapshot (ingestion, direct care; root only)
    agora.store.current_path()             path of the current analyst snapshot file
    with agora.store.write() as build:     build.con is read-write on the next snapshot
    agora.store.hooks.POST_LOAD            "module:function" run on each new snapshot
"""
from __future__ import annotations

from . import hooks
from .errors import HookFailed, NoSnapshot, StoreBusy, StoreError
from .schema import create_schema
from .snapshots import Build, connect, current_dir, current_path, scratch_connection, write

__all__ = ["Build", "HookFailed", "NoSnapshot", "StoreBusy", "StoreError", "command", "connect",
           "create_schema", "current_dir", "current_path", "hooks", "scratch_connection", "write"]


def __getattr__(name: str):
    if name == "command":  # the CLI (click, rich) loads only when used
        from .cli import command
        return command
    raise AttributeError(name)
