"""`agora synth`: write a synthetic partnership's feeds, with a progress bar."""
from __future__ import annotations

import time
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from ..config import ConfigError, settings
from .run import STAGES, SynthError, generate


@click.command(name="synth")
@click.option("--scale", type=float, default=None,
              help="Population scale: 1.0 is about 1.2 million residents [default: AGORA_SCALE].")
@click.option("--seed", type=int, default=None,
              help="Random seed; the same seed writes identical files [default: AGORA_SEED].")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Output directory (feeds/, reference/, truth/, manifest.json); must not "
                   "already hold feeds.")
@click.option("--months", type=int, default=None,
              help="Months of activity to generate [default: AGORA_MONTHS].")
@click.option("--start", default="2025-04-01", show_default=True,
              help="First day of the first month, YYYY-MM-DD.")
def command(scale: float | None, seed: int | None, out: Path, months: int | None,
            start: str) -> None:
    """Write synthetic provider feeds for the partnership.

    One file per feed per month in each provider's own format (CSV, JSON lines, Parquet) with
    realistic defects, reference files, and manifest.json recording rows and defects per file
    (what ingestion must quarantine and what it must repair). Example:

        agora synth --scale 0.01 --seed 42 --out /tmp/feeds
    """
    try:
        cfg = settings()
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    scale = cfg.scale if scale is None else scale
    seed = cfg.seed if seed is None else seed
    months = cfg.months if months is None else months
    console = Console(stderr=True)
    began = time.perf_counter()
    columns = (TextColumn("{task.description}"), BarColumn(),
               TextColumn("{task.fields[detail]}"), TimeElapsedColumn())
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("synth", total=len(STAGES), detail="")

        def report(stage: str, detail: str = "") -> None:
            if stage == "file":
                bar.update(task, detail=detail)
            else:
                bar.update(task, description=stage, detail=detail,
                           completed=STAGES.index(stage))

        try:
            manifest = generate(out, scale, seed, months, start, progress=report)
        except SynthError as exc:
            raise click.BadParameter(str(exc)) from None
        bar.update(task, completed=len(STAGES), description="done", detail="")
    rows = sum(e["rows"] for e in manifest["files"])
    click.echo(f"Wrote {len(manifest['files'])} feed files, {rows:,} rows, for "
               f"{manifest['population']:,} residents to {out} in "
               f"{time.perf_counter() - began:.1f} s (manifest: {out / 'manifest.json'}).")
