"""`agora ingest DIR`: load feed files into a new store snapshot, with progress."""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..pseudo import PseudoError
from ..store.errors import StoreError
from .errors import IngestError
from .run import discover, ingest


@click.command(name="ingest")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-q", "--quiet", is_flag=True, help="No progress bar; print only the summary.")
def command(directory: Path, quiet: bool) -> None:
    """Load DIRECTORY into the store: DIRECTORY/reference/*.csv, then DIRECTORY/feeds/*.

    Each file becomes one load batch: its rows are validated against the common data model,
    pseudonymised (person_id = HMAC-SHA256 of the NHS number; key from AGORA_KEY_FILE), and
    loaded or quarantined with a reason. A file that cannot be read is rejected with the
    problem named. Files loaded before (same SHA-256) are skipped. The run builds one new
    snapshot and publishes it atomically; if it fails, the store stays as it was.

    Exit status: 0 when the run completed (rejected files are reported, not fatal), 1 when
    nothing was published (for example another load is running or the key is unsafe).
    """
    console = Console(stderr=True, quiet=quiet)
    try:
        jobs, unknown = discover(directory)
        for name in unknown:
            console.print(f"[yellow]skipped {name}: no feed is declared for this file name[/]")
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console, disable=quiet) as progress:
            task = progress.add_task("ingest", total=len(jobs))

            def on_file(job) -> None:
                progress.update(task, description=f"loading {job.path.name}")

            def on_done(r) -> None:
                progress.advance(task)
                if r.status == "rejected":
                    progress.console.print(f"[red]rejected {r.file_name}: {r.error}[/]")

            result = ingest(directory, on_file=on_file, on_done=on_done, jobs=jobs)
    except (IngestError, StoreError, PseudoError) as exc:
        raise click.ClickException(f"{exc} (the store is unchanged)") from None
    out = Console()
    table = Table("status", "files", "rows received", "loaded", "quarantined",
                  title="ingest summary")
    for status in ("loaded", "rejected", "skipped"):
        rows = [b for b in result.batches if b.status == status]
        table.add_row(status, str(len(rows)), f"{sum(b.received for b in rows):,}",
                      f"{sum(b.loaded for b in rows):,}", f"{sum(b.quarantined for b in rows):,}")
    out.print(table)
    for b in result.batches:
        if b.status == "rejected":
            out.print(f"rejected {b.file_name}: {b.error}")
    if result.snapshot is None:
        out.print("nothing new to load: the store is unchanged")
    else:
        out.print(f"published snapshot {result.snapshot}")
