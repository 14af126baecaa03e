"""Errors of the publishing workflow: each carries a message fit to show the person acting."""
from __future__ import annotations


class PublishError(Exception):
    """Base class: the request was refused and nothing was changed."""


class InvalidName(PublishError):
    """A dashboard name (slug), audience or version is malformed or hostile."""


class InvalidNotebook(PublishError):
    """The submitted file is missing, too large or not a valid notebook."""


class NotFound(PublishError):
    """No such dashboard, submission or version."""


class NotAllowed(PublishError):
    """The person acting does not hold the role the action needs."""


class Conflict(PublishError):
    """The action does not fit the current state (already decided, nothing to roll back to)."""
