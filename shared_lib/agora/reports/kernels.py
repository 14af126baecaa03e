"""Kernels for report runs: started ahead of time, used once, then shut down.

Kernel start-up (and importing pandas, DuckDB and altair in it) dominates a small run, so each
worker keeps one spare kernel booting while it runs the current report. A kernel runs exactly one
report and is then discarded: no state passes between reports. Kernels use IPC sockets in a
private folder (not TCP ports) and exit on their own if the process that started them dies.
"""
from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
import uuid
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.blocking import BlockingKernelClient
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines

KERNEL_NAME = "python3"
# Run in each spare kernel before use: the libraries every template imports, and one tiny chart
# (the first SVG render starts the Vega engine). Nothing from any report is involved.
WARM_UP = ("import pandas, duckdb, altair, vl_convert, agora, agora.reports.render\n"
           "vl_convert.vegalite_to_svg({'mark': 'point', 'data': {'values': [{'a': 1}]},"
           " 'encoding': {'x': {'field': 'a', 'type': 'quantitative'}}})")
ENGINE = "agora"
ASYNC_CLIENT = "jupyter_client.asynchronous.AsyncKernelClient"
# Report kernels load no IPython extensions from site configuration (the analysts' %sql magic
# opens a scratch database per user): templates read the store through the helper library.
KERNEL_ARGS = ["--InteractiveShellApp.extensions=[]"]


class Kernel:
    """One started kernel with its manager and a private working folder."""

    def __init__(self, work_root: Path, warm_up: str = WARM_UP):
        self.warm_up = warm_up
        self.folder = Path(tempfile.mkdtemp(prefix="kernel-", dir=work_root))
        # IPC socket paths must be short (108 bytes): a private folder under the temp dir
        self.sockets = Path(tempfile.mkdtemp(prefix="agora-k-"))
        os.chmod(self.folder, 0o700)
        os.chmod(self.sockets, 0o700)
        # nbclient needs an asynchronous client (a blocking one stalls its kernel-death check)
        self.km = KernelManager(kernel_name=KERNEL_NAME, transport="ipc",
                                ip=str(self.sockets / "k"), client_class=ASYNC_CLIENT)
        env = dict(os.environ, JPY_PARENT_PID=str(os.getpid()), PYDEVD_DISABLE_FILE_VALIDATION="1")
        self.km.start_kernel(env=env, cwd=str(self.folder), extra_arguments=KERNEL_ARGS)
        self.ready = threading.Event()
        self.error: BaseException | None = None
        threading.Thread(target=self._warm, daemon=True, name="kernel-warm").start()

    def _warm(self) -> None:
        """Wait for the kernel and import the heavy libraries in it, off the critical path."""
        kc = BlockingKernelClient(parent=self.km)   # liveness from the manager, not heartbeats
        kc.load_connection_info(self.km.get_connection_info())
        try:
            kc.start_channels()
            kc.wait_for_ready(timeout=60)
            if self.warm_up:
                kc.execute_interactive(self.warm_up, silent=True, store_history=False, timeout=120,
                                       output_hook=lambda msg: None)
        except BaseException as exc:  # a cold kernel still works; a dead one is replaced
            self.error = exc
        finally:
            kc.stop_channels()
            self.ready.set()

    def kill(self) -> None:
        """Stop the kernel process at once (from any thread): SIGKILL by pid."""
        pid = getattr(self.km.provisioner, "pid", None) if self.km.provisioner else None
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def shutdown(self) -> None:
        try:
            if self.km.has_kernel:
                self.km.shutdown_kernel(now=True)
        except Exception:
            pass
        finally:
            self.km.cleanup_resources()
            shutil.rmtree(self.folder, ignore_errors=True)
            shutil.rmtree(self.sockets, ignore_errors=True)


class KernelPool:
    """A spare kernel per worker thread: `take` hands over a ready kernel and boots the next."""

    def __init__(self, work_root: Path, spare: bool = True, warm_up: str = WARM_UP):
        self.work_root = Path(work_root)
        self.work_root.mkdir(parents=True, exist_ok=True)
        self.spare = spare
        self.warm_up = warm_up
        self._local = threading.local()
        self._all: set[Kernel] = set()
        self._lock = threading.Lock()

    def _start(self) -> Kernel:
        k = Kernel(self.work_root, self.warm_up)
        with self._lock:
            self._all.add(k)
        return k

    def take(self) -> Kernel:
        k = getattr(self._local, "spare", None) or self._start()
        self._local.spare = self._start() if self.spare else None
        k.ready.wait(120)
        if not k.km.is_alive():           # died while waiting: use a fresh one
            self.release(k)
            k = self._start()
            k.ready.wait(120)
        return k

    def release(self, k: Kernel) -> None:
        k.shutdown()
        with self._lock:
            self._all.discard(k)

    def close(self) -> None:
        with self._lock:
            kernels, self._all = list(self._all), set()
        for k in kernels:
            k.shutdown()


class PooledEngine(NBClientEngine):
    """papermill engine running a notebook on a kernel we started (km=...), closing its client."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None,
                                 km=None, **kwargs):
        client = PapermillNotebookClient(
            nb_man, km=km, timeout=execution_timeout, startup_timeout=start_timeout,
            kernel_name=kernel_name, log_output=log_output, stdout_file=stdout_file,
            stderr_file=stderr_file, record_timing=True)
        try:
            return client.execute()
        finally:
            if client.kc is not None:
                client.kc.stop_channels()


papermill_engines.register(ENGINE, PooledEngine)


def new_run_id() -> str:
    return uuid.uuid4().hex[:12]
