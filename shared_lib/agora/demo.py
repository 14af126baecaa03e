"""`agora demo`: the whole partnership on one machine, from nothing.

Synthetic feeds -> the pseudonymised store -> published dashboards -> one run of the report
schedule -> the hub with demo organisations and users, in the foreground until Ctrl-C.
Each step is skipped when its result is already there, so running it again is quick.
"""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from .config import settings

console = Console()


def _step(title: str) -> None:
    console.rule(f"[bold]{title}")


def build_store(ctx: click.Context, scale: float, seed: int, months: int) -> Path:
    """Generate the synthetic feeds (once per scale/seed/months) and load them into the store."""
    from .ingest.cli import command as ingest
    from .synth.cli import command as synth

    out = settings().feeds_dir / f"scale-{scale:g}-seed-{seed}-months-{months}"
    if (out / "manifest.json").exists():
        console.print(f"synthetic feeds already in {out}")
    else:
        ctx.invoke(synth, scale=scale, seed=seed, out=out, months=months)
    ctx.invoke(ingest, directory=out, quiet=False)
    return out


def publish_dashboards() -> None:
    from .dashboards.demo import publish_families

    slugs = publish_families()
    console.print(f"{len(slugs)} dashboards published: {', '.join(slugs)}")


def build_catalogue(ctx: click.Context) -> None:
    from .catalogue.cli import build

    ctx.invoke(build, out=None)


def run_reports() -> None:
    from .reports import run_schedule_once

    outcomes = run_schedule_once()
    console.print(f"{len(outcomes)} report runs")


@click.command()
@click.option("--scale", type=float, default=None,
              help="Population scale (1.0 = about 1.2 million residents); default AGORA_SCALE.")
@click.option("--seed", type=int, default=None, help="Random seed; default AGORA_SEED.")
@click.option("--months", type=click.IntRange(1, 120), default=None,
              help="Months of activity; default AGORA_MONTHS.")
@click.option("--no-hub", is_flag=True, help="Build everything but do not start the hub.")
def command(scale: float | None, seed: int | None, months: int | None, no_hub: bool) -> None:
    """Set up and start the demo: data, store, dashboards, reports, hub with demo users."""
    s = settings()
    scale = s.scale if scale is None else scale
    if not 0 < scale <= 2:
        raise click.BadParameter("must be above 0 and at most 2", param_hint="--scale")
    seed = s.seed if seed is None else seed
    months = s.months if months is None else months

    _step(f"Synthetic partnership (scale {scale:g}, seed {seed}, {months} months) and the store")
    ctx = click.get_current_context()
    build_store(ctx, scale, seed, months)
    _step("Data catalogue")
    build_catalogue(ctx)
    _step("Dashboards: publish the reviewed demo dashboards")
    publish_dashboards()
    _step("Reports: run the schedule once")
    run_reports()
    if no_hub:
        return
    _step("Hub")
    from .hub.launch import start_demo

    start_demo(s)
