"""The data catalogue, generated from the single definitions of every table and column
(agora.model), feed (agora.feeds), metric (agora.metrics), codelist (agora.codelists) and
population health measure (agora.phm.definitions).

    agora.catalogue.describe("ae_attendance")   # in a notebook: a table description
    agora catalogue build --out DIR            # a static, searchable HTML catalogue
"""
from __future__ import annotations

from .describe import Description, describe
from .entries import KINDS, Entry, all_entries


def build(out_dir):
    """Write the static HTML catalogue into `out_dir`; returns the path of index.html."""
    from .site import build as run
    return run(out_dir)


__all__ = ["KINDS", "Description", "Entry", "all_entries", "build", "describe"]
