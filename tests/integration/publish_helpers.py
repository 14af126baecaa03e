"""Helpers for the publishing tests: notebooks on disk and a hub register with test people."""
from __future__ import annotations

from pathlib import Path

import nbformat

from agora.publish import Actor

ANALYST = Actor("ana", frozenset({"analyst"}), frozenset({"RAJ"}))
OTHER_ANALYST = Actor("ben", frozenset({"analyst"}), frozenset({"RAJ"}))
STEWARD = Actor("stew", frozenset({"steward"}), frozenset({"QH8"}))
VIEWER = Actor("vic", frozenset({"viewer"}), frozenset({"QH8"}))


def notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Test dashboard")]
    nb.cells += [nbformat.v4.new_code_cell(src) for src in sources]
    nbformat.write(nb, path)
    return path
