"""Agora: the common helper library of the partnership's analytics workspace.

In a notebook: `import agora; agora.sql("select ...", [params])` reads the current store
snapshot read-only. See `agora.catalogue.describe("ae_attendance")` for what the tables hold.
"""
__version__ = "0.1.0"
