"""Compute the population health measures of one reference date in a DuckDB connection.

Everything runs as set-based SQL over temporary tables (named phm_*), so it works on a read-only
snapshot as well as on the read-write connection of a snapshot being built. Steps:
codelists -> coded records -> features at the training date (with outcome) -> risk model fit ->
features at the reference date -> segments -> scores.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from . import definitions as d
from .risk import ModelError, RiskModel, fit

log = logging.getLogger(__name__)
SQL_DIR = Path(__file__).parent / "sql"
MIN_HORIZON_DAYS = 28      # below this the history is too short for a risk model


def sql(name: str) -> str:
    """The text of one of this package's SQL files."""
    return (SQL_DIR / f"{name}.sql").read_text()


class PhmError(ValueError):
    """The population health measures cannot be computed from this store."""


@dataclass
class Computation:
    as_of: dt.date
    train_date: dt.date | None
    horizon_days: int
    model: RiskModel | None
    model_error: str | None
    missing_codelists: list[str]
    people: int


def _parse_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise PhmError(f"as_of must be a date YYYY-MM-DD, not {value!r}") from None


def _packaged_codelists() -> pd.DataFrame:
    """Codelists shipped with the library (agora.codelists), as codelist, version, system, code."""
    columns = ["codelist", "version", "system", "code"]
    try:
        from agora import codelists
    except ImportError:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
    try:
        frame = codelists.all_codelists()
    except (KeyError, ValueError, OSError) as exc:
        raise PhmError(f"the packaged codelists cannot be read: {exc}") from None
    return frame[columns].astype("string")


def load_definitions(con: duckdb.DuckDBPyConnection) -> None:
    """Load agora.phm.definitions and the packaged codelists as phm_* temporary tables, and the
    banding macros phm_frailty(efi) and phm_risk_tier(rank_fraction)."""
    bands, lower = [], float("-inf")
    for category, upper in d.FRAILTY_BANDS:
        bands.append((category, lower, upper))
        lower = upper
    tiers, lower = [], float("-inf")
    for tier, upper, _ in d.RISK_TIERS:
        tiers.append((tier, lower, upper))
        lower = upper
    frames = {
        "phm_rule": d.rules_frame(),
        "phm_band": pd.DataFrame(bands, columns=["category", "lower_bound", "upper_bound"]),
        "phm_tier": pd.DataFrame(tiers, columns=["tier", "lower_bound", "upper_bound"]),
        "phm_segment": pd.DataFrame([(s, i) for i, (s, _) in enumerate(d.SEGMENTS)],
                                    columns=["segment", "priority"]),
        "phm_packaged_codelist": _packaged_codelists(),
    }
    for name, frame in frames.items():
        con.register(f"{name}_frame", frame)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_frame")
        con.unregister(f"{name}_frame")
    con.execute(sql("macros"))


def data_dates(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    """First and last activity dates in the store (A&E arrivals and inpatient admissions)."""
    return con.execute(
        "SELECT min(d), max(d) FROM (SELECT CAST(arrival_at AS DATE) AS d FROM ae_attendance "
        "UNION ALL SELECT CAST(admission_at AS DATE) FROM apc_spell)").fetchone()


def _features(con, ref: dt.date, window_days: int, horizon_days: int) -> None:
    con.execute(sql("features"), {
        "ref": ref, "year_days": d.YEAR_DAYS, "window_days": window_days,
        "horizon_days": horizon_days, "polypharmacy_drugs": d.EFI_POLYPHARMACY_DRUGS,
        "polypharmacy_codelist": d.POLYPHARMACY_CODELIST,
        "efi_min_age": d.EFI_MIN_AGE, "efi_deficit_count": d.EFI_DEFICIT_COUNT,
    })


def compute(con: duckdb.DuckDBPyConnection, as_of=None, progress=None) -> Computation:
    """Build the phm_* temporary tables for `as_of` (default: the last activity date)."""
    step = progress or (lambda message: log.info(message))
    as_of = _parse_date(as_of)
    first, last = data_dates(con)
    if as_of is None:
        as_of = min(last, dt.date.today()) if last else dt.date.today()
    step("definitions and codelists")
    load_definitions(con)
    con.execute(sql("person_keys"))
    con.execute(sql("codelist"))
    present = {r[0] for r in con.execute("SELECT DISTINCT codelist FROM phm_codelist").fetchall()}
    missing = sorted(d.codelists_needed() - present)
    if missing:
        log.warning("codelists not found (their rules never match): %s", ", ".join(missing))
    step("coded records")
    con.execute(sql("coded"), {"as_of": as_of})

    # Outcome window: 12 months, or half the history when there is less than two years of it,
    # so predictors (the same window length before the training date) and outcome both fit.
    span = (as_of - first).days if first else 0
    horizon = max(0, min(d.YEAR_DAYS, span // 2))
    model, model_error, train_date = None, None, None
    if first is None or span < 0:
        model_error = ("no A&E or inpatient activity before the reference date: no history to "
                       "fit a risk model")
    elif horizon < MIN_HORIZON_DAYS:
        model_error = f"only {span} days of activity history: too short for a risk model"
    else:
        train_date = as_of - dt.timedelta(days=horizon)
        step(f"risk model: predictors to {train_date}, admissions to {as_of}")
        _features(con, train_date, horizon, horizon)
        try:
            model = fit(con.execute(sql("design_matrix")).df())
        except ModelError as exc:
            model_error = str(exc)
    if model_error:
        log.warning("no risk scores: %s", model_error)

    step(f"measures at {as_of}")
    _features(con, as_of, horizon or d.YEAR_DAYS, 0)
    con.execute(sql("segment"))
    design = con.execute(sql("design_matrix")).df()
    scores = pd.DataFrame({"pk": design["pk"],
                           "risk_score": model.predict(design) if model else np.nan})
    con.register("phm_scores_frame", scores)
    con.execute("CREATE OR REPLACE TEMP TABLE phm_scores AS SELECT * FROM phm_scores_frame")
    con.unregister("phm_scores_frame")
    return Computation(as_of=as_of, train_date=train_date, horizon_days=horizon, model=model,
                       model_error=model_error, missing_codelists=missing, people=len(design))


def drop_temporary(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the phm_* temporary tables and macros."""
    for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary AND "
                               "starts_with(table_name, 'phm_')").fetchall():
        con.execute(f'DROP TABLE IF EXISTS temp."{name}"')
