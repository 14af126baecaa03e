"""The exceptions of the reports package: one tree, so callers catch `ReportError`."""
from __future__ import annotations


class ReportError(Exception):
    """Base of every error the reports package raises on purpose."""


class ScheduleError(ReportError):
    """The schedule file is missing, malformed or names something that does not exist."""


class ParameterError(ReportError):
    """A run parameter is unknown to the template, of the wrong type, too long or unsafe."""


class RunFailed(ReportError):
    """A report run failed: the notebook raised, timed out, or its kernel died.

    `cell` is the index of the failing cell (when known) and `error` the error text."""

    def __init__(self, message: str, cell: int | None = None, error: str | None = None):
        super().__init__(message)
        self.cell = cell
        self.error = error or message


class DisclosureBlocked(RunFailed):
    """The SDC gate found an unsuppressed count of 1-7 in an output: nothing is published."""


class AlreadyClaimed(ReportError):
    """Another run (or scheduler) has already claimed this entry and scheduled time."""
