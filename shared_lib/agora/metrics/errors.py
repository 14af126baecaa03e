"""Errors raised by `agora.metrics`: all are ValueErrors with a message an analyst can act on."""
from __future__ import annotations


class MetricError(ValueError):
    """A metric cannot be run as asked."""


class UnknownMetricError(MetricError, KeyError):
    """No metric of that name."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0] if self.args else ""


class MetricParameterError(MetricError):
    """A parameter is missing, malformed or not one this metric takes."""
