"""Agora: the common helper library of the partnership's analytics workspace.

In a notebook: `import agora; agora.sql("select ...", [params])` reads the current store
snapshot read-only. See `agora.catalogue.describe("ae_attendance")` for what the tables hold.
"""
__version__ = "0.1.0"

# `agora.connect` and `agora.sql` load DuckDB only when first used, so `import agora` stays light.
_LAZY = {"connect": "agora.analyst_db", "sql": "agora.analyst_db"}


# Submodules analysts reach as attributes (`agora.metrics.run(...)`), imported on first use.
_SUBMODULES = {"catalogue", "charts", "dq", "metrics", "phm", "sdc", "store"}


def __getattr__(name: str):
    import importlib
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _SUBMODULES:
        return importlib.import_module(f"agora.{name}")
    raise AttributeError(f"module 'agora' has no attribute {name!r}")
