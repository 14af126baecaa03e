"""IPython extension: the `%sql` / `%%sql` magic (jupysql) connected to the store.

Load it in a notebook with `%load_ext agora.ipython`, or in every kernel from an IPython config
file that kernels read, for example `<venv>/etc/ipython/ipython_config.py` (or
`/etc/ipython/ipython_config.py`):

    c.InteractiveShellApp.extensions = ["agora.ipython"]

Then `%sql select count(*) from ae_attendance` reads the current snapshot through the same
connection as `agora.sql()`: the store read-only, new tables into the analyst's scratch database,
a pandas DataFrame back. Each query takes the newest published snapshot.

The magic sends queries as written. For values taken from variables use
`agora.sql("... where sex = ?", [sex])`, which binds them; never paste values into SQL text
(jupysql's `{{variable}}` templating does exactly that).
"""
from __future__ import annotations

import os

ALIAS = "agora"
_VAR = "_agora_connection"


class StoreConnection:
    """What jupysql holds: each cursor comes from `agora.analyst_db.cursor()`, so it starts in
    scratch with the store on the search path, on the snapshot current at that moment."""

    def cursor(self):
        from agora.analyst_db import cursor
        return cursor()

    def commit(self) -> None:
        pass    # the store is read-only; scratch statements commit as they run

    def close(self) -> None:
        from agora.analyst_db import close
        close()

    def __getattr__(self, name: str):
        from agora.analyst_db import connect
        return getattr(connect(), name)


def load_ipython_extension(ip) -> None:
    # jupysql's usage statistics and version checks would call out of the workspace: off.
    os.environ.setdefault("PLOOMBER_STATS_ENABLED", "false")
    os.environ.setdefault("PLOOMBER_VERSION_CHECK_DISABLED", "true")
    from agora.analyst_db import connect
    connect()                                   # fail here, clearly, if there is no store
    ip.run_line_magic("load_ext", "sql")
    ip.run_line_magic("config", "SqlMagic.autopandas = True")
    ip.run_line_magic("config", "SqlMagic.displaycon = False")
    ip.run_line_magic("config", "SqlMagic.feedback = 0")
    ip.user_ns[_VAR] = StoreConnection()
    ip.run_line_magic("sql", f"{_VAR} --alias {ALIAS}")
