"""Post-load hooks: "module:function" names called with the read-write connection of a new
snapshot before it is published (derived tables, data quality checks). Register with one line."""
from __future__ import annotations

import importlib

from .errors import HookFailed

POST_LOAD: list[str] = [
    "agora.phm:post_load",
    "agora.dq.checks:post_load",
]


def run_post_load(con, hooks: list[str] | None = None) -> None:
    """Call each hook in order; any failure stops the publish with the hook's name."""
    for name in POST_LOAD if hooks is None else hooks:
        module, _, attr = name.partition(":")
        try:
            func = getattr(importlib.import_module(module), attr)
            func(con)
        except Exception as exc:
            raise HookFailed(f"post-load hook {name} failed: {exc}; the snapshot was not "
                             "published") from exc
