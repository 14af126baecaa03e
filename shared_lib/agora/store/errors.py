"""Store errors: one tree, so callers can catch `StoreError` and show its message."""
from __future__ import annotations


class StoreError(Exception):
    """Base for store problems."""


class NoSnapshot(StoreError):
    """No snapshot has been published yet."""


class StoreBusy(StoreError):
    """Another load holds the writer lock."""


class HookFailed(StoreError):
    """A post-load hook raised; the snapshot was not published."""
