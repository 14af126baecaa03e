"""`agora config`: show the current settings and what each one means."""
from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from .config import SETTINGS, settings


@click.command()
def config() -> None:
    """Print every setting, its environment variable, current value and meaning."""
    current = settings()
    table = Table("setting", "environment variable", "value", "meaning")
    for s in SETTINGS:
        table.add_row(s.name, s.env, str(getattr(current, s.name)), s.help)
    Console().print(table)
