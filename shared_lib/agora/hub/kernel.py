"""IPython start-up of every kernel the spawned servers run: `agora` imported, `%sql` ready.

The file goes to `<venv>/etc/ipython/ipython_kernel_config.py`, which IPython reads for every
kernel of that environment whoever runs it (no per-user profile needed).
"""
from __future__ import annotations

import os
from pathlib import Path

KERNEL_CONFIG = """\
# Agora kernel start-up (written by agora.hub.kernel): agora imported, %sql magics loaded.
c.InteractiveShellApp.exec_lines = ["import agora"]
c.InteractiveShellApp.extensions = ["agora.ipython"]
"""


def kernel_config_path(venv: Path) -> Path:
    return Path(venv) / "etc" / "ipython" / "ipython_kernel_config.py"


def install_kernel_config(venv: Path) -> Path:
    """Write the start-up file into the venv (world-readable); unchanged files are left alone."""
    path = kernel_config_path(venv)
    if not path.exists() or path.read_text() != KERNEL_CONFIG:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o755)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(KERNEL_CONFIG)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    return path
