"""Ingestion errors: one tree, messages safe to show and to store (never a raw value)."""
from __future__ import annotations


class IngestError(Exception):
    """Base for ingestion problems."""


class FileRejected(IngestError):
    """A file that cannot be read at all: the batch is recorded as rejected."""

    def __init__(self, file_name: str, problem: str):
        self.file_name = file_name
        self.problem = problem
        super().__init__(f"{file_name}: {problem}")
