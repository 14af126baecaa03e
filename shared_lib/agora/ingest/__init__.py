"""Pseudonymising ingestion: feed files -> validated, pseudonymised rows in a new snapshot.

    readers     format name -> reader into a temporary `raw` table (csv, jsonl, parquet)
    mapping     the plan: provider columns -> model columns, identity, derived columns
    validate    parse and check against agora.model (generated SQL, bind parameters)
    load        one file -> one load_batch (loaded rows, quarantine, counts)
    quarantine  reasons in the store, raw rows only in the root-only quarantine area
    run         a directory -> one published snapshot; cli: `agora ingest DIR`
"""
from __future__ import annotations

from .errors import FileRejected, IngestError
from .run import RunResult, discover, ingest

__all__ = ["FileRejected", "IngestError", "RunResult", "command", "discover", "ingest"]


def __getattr__(name: str):
    if name == "command":
        from .cli import command
        return command
    raise AttributeError(name)
