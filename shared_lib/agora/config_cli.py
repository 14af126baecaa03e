"""`agora config`: show the current settings and what each one means."""
from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from pathlib import Path

from .config import SETTINGS, settings

CHECKOUT = str(Path(__file__).resolve().parents[2])


def markdown_table() -> str:
    """The settings reference as a Markdown table (the README's configuration section)."""
    rows = ["| environment variable | default | meaning |", "| --- | --- | --- |"]
    rows += [f"| `{s.env}` | `{str(s.default).replace(CHECKOUT, '<checkout>')}` | {s.help} |"
             for s in SETTINGS]
    return "\n".join(rows)


@click.command()
@click.option("--markdown", is_flag=True, help="Print the reference table in Markdown (defaults, not current values).")
def config(markdown: bool) -> None:
    """Print every setting, its environment variable, current value and meaning."""
    if markdown:
        click.echo(markdown_table())
        return
    current = settings()
    table = Table("setting", "environment variable", "value", "meaning")
    for s in SETTINGS:
        table.add_row(s.name, s.env, str(getattr(current, s.name)), s.help)
    Console().print(table)
