"""`agora phm`: population health measures, the risk model and the Ageing Well cohort."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
import duckdb
from rich.console import Console
from rich.table import Table

from agora.config import settings

from . import definitions as d
from .pipeline import Computation, PhmError, compute, sql

console = Console()


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from None


def _open(db: Path | None, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    if db is None:
        from agora import store
        try:
            return store.connect(read_only=True)
        except store.StoreError as exc:
            raise click.ClickException(str(exc)) from None
    try:
        return duckdb.connect(str(db), read_only=read_only)
    except duckdb.Error as exc:
        raise click.ClickException(f"cannot open {db} as a DuckDB database: {exc}") from None


DB = click.option("--db", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                  help="A DuckDB store file (default: the current analyst snapshot).")
AS_OF = click.option("--as-of", callback=_date, metavar="YYYY-MM-DD",
                     help="Reference date (default: the last activity date in the store).")


@click.group(name="phm")
def command() -> None:
    """Population health: eFI, Cambridge Multimorbidity Score, Bridges to Health segments,
    the emergency admission risk model and the Ageing Well cohort (see agora.phm)."""


def _run(con, as_of) -> Computation:
    with console.status("computing population health measures") as status:
        try:
            return compute(con, as_of, progress=lambda m: status.update(m))
        except (PhmError, duckdb.Error) as exc:
            raise click.ClickException(f"cannot compute the measures: {exc}") from None


@command.command()
@DB
@AS_OF
def model(db: Path | None, as_of: dt.date | None) -> None:
    """Fit the 12-month emergency admission risk model and print its coefficients (odds ratios
    with 95% intervals), AUC and calibration by decile of predicted risk."""
    con = _open(db)
    try:
        result = _run(con, as_of)
    finally:
        con.close()
    print_model(result)
    if result.model is None:
        raise SystemExit(1)


def print_model(result: Computation) -> None:
    """Print a computation's risk model, or why there is none."""
    console.print(f"[bold]Emergency admission risk model[/], reference date {result.as_of}")
    if result.missing_codelists:
        console.print(f"[yellow]codelists not found:[/] {', '.join(result.missing_codelists)}")
    if result.model is None:
        console.print(f"[red]no model:[/] {result.model_error}")
        return
    console.print(f"predictors up to {result.train_date}; outcome: 1+ emergency admission in the "
                  f"{result.horizon_days} days after it (12 months when the history allows).")
    table = Table("term", "coefficient", "std error", "odds ratio", "95% CI",
                  title="coefficients (log-odds per unit of each predictor)")
    coefficients = result.model.coefficient_table()
    for row in coefficients.itertuples():
        dropped = row.term in result.model.dropped
        table.add_row(row.term, f"{row.coefficient:.4f}",
                      "constant: dropped" if dropped else f"{row.std_error:.4f}",
                      f"{row.odds_ratio:.3f}",
                      "" if dropped else f"{row.or_low95:.3f} - {row.or_high95:.3f}")
    console.print(table)
    for row in coefficients.itertuples():
        console.print(f"  [bold]{row.term}[/]: {row.meaning}")
    ev = result.model.evaluation
    console.print(f"training: {ev['train_people']:,} people, {ev['train_admitted']:,} admitted; "
                  f"AUC {ev['auc_train']:.3f}")
    console.print(f"test: {ev['test_people']:,} people, {ev['test_admitted']:,} admitted; "
                  f"[bold]AUC {ev['auc_test']:.3f}[/]")
    cal = Table("decile", "people", "mean predicted", "observed", title="calibration (test set)")
    for row in ev["calibration"].itertuples():
        cal.add_row(str(row.decile), f"{row.n:,}", f"{row.mean_predicted:.4f}",
                    f"{row.observed_rate:.4f}")
    console.print(cal)


@command.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The DuckDB store file to rebuild in (a snapshot being built, never a "
                   "published one).")
@AS_OF
def rebuild(db: Path, as_of: dt.date | None) -> None:
    """Rebuild person_condition and person_risk in a store file. Published snapshots are rebuilt
    automatically on each load (a store post-load hook)."""
    store_dir = settings().store_dir.resolve()
    if db.resolve().is_relative_to(store_dir):
        raise click.ClickException(f"{db} is a published snapshot under {store_dir}: they are "
                                   "read-only; the rebuild runs on every load")
    from .tables import rebuild as run
    con = _open(db, read_only=False)
    with console.status("rebuilding person_condition and person_risk") as status:
        try:
            result = run(con, as_of, progress=lambda m: status.update(m))
        except (PhmError, duckdb.Error) as exc:
            raise click.ClickException(f"rebuild failed, tables unchanged: {exc}") from None
        finally:
            con.close()
    console.print(f"rebuilt for {result.as_of}: {result.people:,} people"
                  + ("" if result.model else f" (no risk scores: {result.model_error})"))


@command.command()
@DB
def summary(db: Path | None) -> None:
    """People by frailty category, Bridges to Health segment and risk tier (from person_risk)."""
    with _open(db) as con:
        _summary(con)


def _summary(con) -> None:
    try:
        counts = {(m, v): n for m, v, n in con.execute(sql("summary")).fetchall()}
    except duckdb.Error as exc:
        raise click.ClickException(f"cannot read person_risk: {exc}") from None
    for column, order in (("frailty", [b for b, _ in d.FRAILTY_BANDS]),
                          ("segment", [s for s, _ in d.SEGMENTS]),
                          ("risk_tier", [t for t, _, _ in d.RISK_TIERS])):
        table = Table(column, "people", title=f"person_risk by {column}")
        for key in order + [None]:
            if (column, key) in counts:
                table.add_row("(none)" if key is None else key, f"{counts[column, key]:,}")
        console.print(table)


@command.command()
@DB
@click.option("--practice", metavar="ODS", help="Only this practice's patients (direct care).")
def cohort(db: Path | None, practice: str | None) -> None:
    """The Ageing Well cohort (frailty, dementia, end of life) by practice: people, and how many
    are in the top 5% of predicted risk."""
    from .cohort import ageing_well
    with _open(db) as con:
        try:
            people = ageing_well(con, practice)
        except (ValueError, duckdb.Error) as exc:
            raise click.ClickException(str(exc)) from None
    by_practice = people.assign(high=people["risk_tier"].isin(["top_0_5", "0_5_to_5"])).groupby(
        "practice_code", dropna=False).agg(people=("person_id", "size"), high_risk=("high", "sum"))
    table = Table("practice", "people", "top 5% risk", title=f"Ageing Well cohort: {len(people):,}")
    for code, row in by_practice.iterrows():
        table.add_row(str(code), f"{row.people:,}", f"{row.high_risk:,}")
    console.print(table)
