"""One report run: execute the template with papermill, gate, render, publish, record.

The steps, each of which can stop the run (nothing is published unless all pass):

1. note the store snapshot and load batches the run reads;
2. execute the template on a fresh kernel with the run's parameters (per-run timeout);
3. the SDC gate scans every output table (`agora.reports.gate`);
4. HTML without code, charts offline (`agora.reports.export`);
5. publish the folder with one rename (`agora.reports.publish`) and record the outcome.
"""
from __future__ import annotations

import json
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from agora.reports import export, gate, publish
from agora.reports.errors import DisclosureBlocked, ParameterError, ReportError, RunFailed
from agora.reports.history import History
from agora.reports.kernels import ENGINE, KERNEL_NAME, KernelPool
from agora.reports.schedule import Run
from agora.reports.templates import template_path


@dataclass
class Outcome:
    run_id: int
    status: str                     # succeeded, retry, failed, blocked
    output_dir: str | None = None
    error: str | None = None
    failing_cell: int | None = None
    duration_s: float = 0.0


def store_state() -> tuple[str | None, list[int] | None]:
    """The current snapshot's name and the load batches in it (None when there is no store)."""
    try:
        from agora import store

        folder = store.current_dir()
        if folder is None:
            return None, None
        con = store.connect()
        try:
            rows = con.execute("SELECT load_batch_id FROM load_batch WHERE status = 'loaded' "
                               "ORDER BY load_batch_id").fetchall()
        except Exception:
            rows = None
        finally:
            con.close()
        return folder.name, [r[0] for r in rows] if rows is not None else None
    except Exception:
        return None, None


PAPERMILL_TAGS = {"injected-parameters", "papermill-error-cell-tag"}


def template_cell(nb_path: Path) -> tuple[int | None, str]:
    """Index (in the template, papermill's added cells not counted) and first line of the cell
    that raised, read from the executed notebook."""
    try:
        nb = nbformat.read(nb_path, as_version=4)
    except Exception:
        return None, ""
    index = 0
    for cell in nb.cells:
        if PAPERMILL_TAGS & set(cell.metadata.get("tags", [])):
            continue
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return index, (cell.source.strip().splitlines() or [""])[0][:80]
        index += 1
    return None, ""


def _failure(exc: BaseException, timed_out: bool, timeout: int, nb_path: Path) -> RunFailed:
    """A RunFailed naming the failing template cell and error, from what papermill raised."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, RunFailed):
        return exc
    if timed_out:
        return RunFailed(f"timed out after {timeout} s: kernel stopped", error=f"timeout {timeout} s")
    if isinstance(exc, PapermillExecutionError):
        error = f"{exc.ename}: {exc.evalue}"
        cell, line = template_cell(nb_path)
        return RunFailed(f"cell {cell} ({line}) raised {error}", cell=cell, error=error)
    return RunFailed(f"{type(exc).__name__}: {exc}", error=f"{type(exc).__name__}: {exc}")


def execute(run: Run, scheduled_time: str, run_id: int, owner: str, history: History,
            pool: KernelPool, timeout: int, backoff: float = 60.0) -> Outcome:
    """Run one claimed report to the end and record the outcome in `history`."""
    started = time.monotonic()
    snapshot, batches = store_state()
    if not history.start_attempt(run_id, owner, snapshot, batches):
        raise ReportError(f"run {run_id} is not claimed by this process")
    attempt = history.get(run_id)["attempts"]
    work = publish.work_folder(run_id, owner)
    nb_path = work / "report.ipynb"
    try:
        nb = _execute_notebook(run, nb_path, pool, timeout)
        gate.enforce(nb)
        page = export.to_html(nb, f"{run.entry.title} ({scheduled_time})")
        (work / "report.html").write_text(page, encoding="utf-8")
        (work / "run.json").write_text(json.dumps(dict(
            run_id=run_id, entry_id=run.entry_id, report=run.entry.name, title=run.entry.title,
            template=run.entry.template, audience=run.audience, parameters=run.parameters,
            scheduled_time=scheduled_time, snapshot=snapshot, load_batches=batches,
            generated_at=time.time()), indent=1, default=str), encoding="utf-8")
        final = publish.publish(work, publish.final_folder(run.audience, run.slug, scheduled_time))
    except ReportError as exc:
        failure = exc if isinstance(exc, RunFailed) else RunFailed(str(exc))
        publish.keep_failed(nb_path, run_id, attempt)
        shutil.rmtree(work, ignore_errors=True)
        row = history.get(run_id)
        if isinstance(exc, (DisclosureBlocked, ParameterError)):
            status, next_at = ("blocked" if isinstance(exc, DisclosureBlocked) else "failed"), None
        elif row["attempts"] < row["max_attempts"]:
            status, next_at = "retry", time.time() + backoff * 2 ** (row["attempts"] - 1)
        else:
            status, next_at = "failed", None
        history.finish(run_id, owner, status, error=failure.error, failing_cell=failure.cell,
                       next_attempt_at=next_at)
        return Outcome(run_id, status, error=str(failure), failing_cell=failure.cell,
                       duration_s=time.monotonic() - started)
    history.finish(run_id, owner, "succeeded", output_dir=str(final))
    return Outcome(run_id, "succeeded", output_dir=str(final),
                   duration_s=time.monotonic() - started)


def _execute_notebook(run: Run, out: Path, pool: KernelPool, timeout: int):
    """papermill on a pooled kernel; a watchdog stops the kernel when the run's time is up."""
    import papermill

    kernel = pool.take()
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        kernel.kill()

    watchdog = threading.Timer(timeout, stop)
    watchdog.daemon = True
    watchdog.start()
    try:
        papermill.execute_notebook(
            str(template_path(run.entry.template)), str(out), parameters=run.parameters,
            engine_name=ENGINE, kernel_name=KERNEL_NAME, km=kernel.km, progress_bar=False,
            log_output=False, execution_timeout=timeout, request_save_on_cell_execute=False,
            cwd=None)
    except Exception as exc:
        raise _failure(exc, timed_out.is_set(), timeout, out) from exc
    finally:
        watchdog.cancel()
        pool.release(kernel)
    return nbformat.read(out, as_version=4)
