"""`agora catalogue`: describe a table, metric, measure, codelist or feed; build the HTML."""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from agora.config import settings


@click.group(name="catalogue")
def command() -> None:
    """The data catalogue: every table, column, metric, population health measure, codelist
    and feed, generated from their definitions."""


@command.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write to (default: the catalogue folder in the data directory).")
def build(out: Path | None) -> None:
    """Write the static, searchable HTML catalogue (index.html, open it in any browser)."""
    from .site import CatalogueError, build as run
    target = out or settings().catalogue_dir
    with Console().status(f"writing the catalogue to {target}"):
        try:
            index = run(target)
        except (CatalogueError, OSError) as exc:
            raise click.ClickException(f"cannot write the catalogue to {target}: {exc}") from None
    click.echo(f"catalogue written: {index}")


@command.command()
@click.argument("name")
@click.option("--kind", type=click.Choice(["table", "metric", "measure", "codelist", "feed"]),
              help="Which kind of entry, when a name is used by several.")
def describe(name: str, kind: str | None) -> None:
    """Describe NAME: a table (ae_attendance), metric (ae_4hour), measure (efi), codelist
    (diabetes) or feed (raj_ecds)."""
    from .describe import describe as run
    try:
        Console().print(run(name, kind))
    except KeyError as exc:
        raise click.ClickException(exc.args[0]) from None
