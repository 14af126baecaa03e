"""Typed errors of the hub package: each says what was wrong and where."""
from __future__ import annotations


class HubError(Exception):
    """Base class of every hub error."""


class DirectoryError(HubError, ValueError):
    """organisations.yaml / demo_users.yaml is malformed or inconsistent."""


class AccountError(HubError):
    """A Unix user, group or folder could not be created or changed."""


class HubAPIError(HubError):
    """The running hub refused or failed a REST API request."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class HubStartError(HubError):
    """The hub did not start (the message carries the end of its log)."""
