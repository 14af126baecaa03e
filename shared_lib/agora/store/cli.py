"""`agora store`: look at the store."""
from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from .errors import StoreError
from .info import store_info


@click.group(name="store")
def command() -> None:
    """Inspect the pseudonymised store (snapshots, tables, load batches)."""


@command.command()
@click.option("--restricted", is_flag=True,
              help="Describe the full restricted snapshot (root only) instead of the analyst copy.")
@click.option("--batches", default=20, show_default=True, type=click.IntRange(0, 100000),
              help="How many of the latest load batches to list.")
def info(restricted: bool, batches: int) -> None:
    """Print the snapshot in use, every table with its row count, and the latest load batches."""
    console = Console()
    try:
        facts = store_info(restricted=restricted, batches=batches)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    console.print(f"[bold]snapshot[/] {facts['snapshot']} ({facts['path']})")
    console.print(f"snapshots kept: {', '.join(map(str, facts['snapshots']))}")
    t = Table("table", "rows", title="tables")
    for name, rows in facts["tables"]:
        t.add_row(name, f"{rows:,}")
    console.print(t)
    b = Table("batch", "feed", "org", "file", "status", "received", "loaded", "quarantined",
              "error", title="latest load batches")
    for row in facts["batches"]:
        b.add_row(*["" if v is None else str(v) for v in row])
    console.print(b)
