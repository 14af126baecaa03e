"""Messiness: the defects real provider files carry, injected at known rows and counted.

Each data row of a file carries at most one defect kind (`late` aside, which only says where a
row was filed). The kinds, and what ingestion must do with them, are defined in `agora.synth`.
Targets (which column each kind touches) are derived from the Feed and the model, so a new feed
gets defects without new code.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import model
from ..feeds import Feed
from . import constants as C
from .identity import invalid_variant
from .writers import (DATE_TYPES, ISO_TS, FileContext, format_value, model_columns,
                      native_dates)

QUARANTINE = ("missing_required", "bad_date", "out_of_range", "unknown_code", "time_order")
REPAIR = ("nhs_spaced", "nhs_dashed", "nhs_missing", "nhs_invalid", "nhs_zeros",
          "postcode_shape", "postcode_unmapped", "duplicate", "correction", "late")
UNKNOWN_CODE = "ZZ"
UNMAPPED_POSTCODE = "ZZ99 3VZ"       # the NHS pseudo-postcode for "no fixed abode"


@dataclass(frozen=True)
class Targets:
    """The provider column each defect kind changes in one feed (None: kind not injected)."""
    missing: str | None
    bad_date: tuple[str, str] | None          # provider column, strptime format
    out_of_range: tuple[str, str] | None      # provider column, value written
    unknown: tuple[str, str] | None           # provider column, model key
    order: tuple[str, str] | None             # model columns (earlier, later)
    correctable: str | None                   # provider column blanked in an earlier version


def targets(feed: Feed) -> Targets:
    cols = model_columns(feed)
    named = {**feed.columns, **feed.person}
    keys = set(feed.record_key)
    free = {m: p for m, p in named.items() if p not in keys}
    missing = next((p for m, p in free.items() if cols[m].required), None)
    if missing is None and feed.person and feed.date_of_birth:
        missing = feed.date_of_birth
    dated = [(m, p) for m, p in free.items()
             if cols[m].type in DATE_TYPES and not native_dates(feed, cols[m], m)]
    dated.sort(key=lambda mp: not cols[mp[0]].required)
    if dated:
        bad_date = (dated[0][1], feed.date_formats.get(dated[0][0], "%Y-%m-%d"))
    elif feed.date_of_birth:
        bad_date = (feed.date_of_birth, feed.date_formats.get("date_of_birth", "%Y-%m-%d"))
    else:
        bad_date = None
    ranged = [(m, p) for m, p in free.items() if cols[m].min is not None or cols[m].max is not None]
    out_of_range = None
    if ranged:
        m, p = ranged[0]
        c = cols[m]
        value = c.max + 4 if c.max is not None else c.min - 3
        out_of_range = (p, str(int(value)) if c.type != "DOUBLE" else f"{value:.2f}")
    coded = ([m for m in free if m in feed.value_maps]
             + [m for m in free if cols[m].allowed and m not in feed.value_maps]
             + [m for m in free if cols[m].pattern and cols[m].type == "VARCHAR"])
    unknown = (named[coded[0]], coded[0]) if coded else None
    order = feed.time_order[0] if feed.time_order else None
    optional = [p for m, p in feed.columns.items() if p not in keys and not cols[m].required]
    correctable = optional[0] if optional and feed.version and not feed.snapshot else None
    return Targets(missing, bad_date, out_of_range, unknown, order, correctable)


def bad_date_text(fmt: str, year: int, variant: int) -> str:
    """An impossible date in the provider's format: 31 February, or month 13."""
    day, month = ("31", "02") if variant == 0 else ("15", "13")
    out = fmt
    for code, value in (("%d", day), ("%m", month), ("%Y", str(year)), ("%H", "12"),
                        ("%M", "00"), ("%S", "00")):
        out = out.replace(code, value)
    return out


def _shift_back(values: pd.Series, col: model.Column) -> pd.Series:
    step = pd.Timedelta(hours=1) if col.type == "TIMESTAMP" else pd.Timedelta(days=1)
    return values - step


def choose(df: pd.DataFrame, feed: Feed, table: pa.Table, t: Targets,
           rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Disjoint row sets per kind (positions in the table)."""
    n = table.num_rows

    def present(col: str) -> np.ndarray:
        return table[col].is_valid().to_numpy(zero_copy_only=False)

    natural_missing = ~present(feed.nhs_number) if feed.nhs_number else np.zeros(n, dtype=bool)
    used = natural_missing.copy()
    everyone = np.ones(n, bool)
    eligible: dict[str, np.ndarray | None] = {
        "missing_required": everyone if t.missing else None,
        "bad_date": present(t.bad_date[0]) if t.bad_date else None,
        "out_of_range": everyone if t.out_of_range else None,
        "unknown_code": present(t.unknown[0]) if t.unknown else None,
        "time_order": ((df[t.order[0]].notna() & df[t.order[1]].notna()).to_numpy()
                       if t.order else None),
    }
    has_nhs = ~natural_missing if feed.nhs_number else None
    for kind in ("nhs_spaced", "nhs_dashed", "nhs_missing", "nhs_invalid", "nhs_zeros"):
        eligible[kind] = has_nhs
    has_pc = present(feed.postcode) if feed.postcode else None
    eligible["postcode_shape"] = eligible["postcode_unmapped"] = has_pc
    eligible["duplicate"] = everyone
    eligible["correction"] = everyone if t.correctable else None
    rows: dict[str, np.ndarray] = {}
    for kind, ok in eligible.items():
        if ok is None:
            continue
        want = rng.binomial(n, C.DEFECT_RATES[kind]) if n else 0
        pool = np.flatnonzero(ok & ~used)
        pick = np.sort(rng.choice(pool, min(want, pool.size), replace=False))
        used[pick] = True
        rows[kind] = pick
    return rows


def _put(table: pa.Table, col: str, rows: np.ndarray | None, values) -> pa.Table:
    """Replace a column's values at the given rows (values: scalar, array or function of the
    current values at those rows)."""
    if rows is None or not rows.size:
        return table
    i = table.column_names.index(col)
    current = table[col].combine_chunks()
    if callable(values):
        values = values(current.take(pa.array(rows)))
    if values is None:
        values = pa.nulls(rows.size, type=current.type)
    elif not isinstance(values, (pa.Array, pa.ChunkedArray)):
        values = pa.array([values] * rows.size, type=current.type)
    mask = np.zeros(table.num_rows, dtype=bool)
    mask[rows] = True
    return table.set_column(i, col, pc.replace_with_mask(current, pa.array(mask),
                                                         values.cast(current.type)))


def apply_model_defects(df: pd.DataFrame, table: pa.Table, feed: Feed, t: Targets,
                        rows: dict[str, np.ndarray], rng: np.random.Generator) -> pa.Table:
    """Defects made on model values (a later time set before the earlier one), re-formatted."""
    r = rows.get("time_order")
    if not t.order or r is None or not r.size:
        return table
    earlier, later = t.order
    cols = model_columns(feed)
    shifted = _shift_back(df[earlier].iloc[r], cols[earlier])
    return _put(table, feed.columns[later], r,
                format_value(feed, later, cols[later], shifted.to_numpy(), rng))


def _split_nhs(values: pa.Array, sep: str) -> pa.Array:
    return pc.binary_join_element_wise(pc.utf8_slice_codeunits(values, 0, 3),
                                       pc.utf8_slice_codeunits(values, 3, 6),
                                       pc.utf8_slice_codeunits(values, 6, 10), sep)


def apply_text_defects(table: pa.Table, feed: Feed, t: Targets, rows: dict[str, np.ndarray],
                       year: int) -> pa.Table:
    """Defects made on the provider's text."""
    f = table
    null = None
    if t.missing:
        f = _put(f, t.missing, rows.get("missing_required"), null)
    if t.bad_date:
        col, fmt = t.bad_date
        r = rows.get("bad_date")
        if r is not None and r.size:
            texts = np.where(np.arange(r.size) % 2 == 0, bad_date_text(fmt, year, 0),
                             bad_date_text(fmt, year, 1))
            f = _put(f, col, r, pa.array(texts.astype(object), type=pa.string()))
    if t.out_of_range:
        f = _put(f, t.out_of_range[0], rows.get("out_of_range"), t.out_of_range[1])
    if t.unknown:
        f = _put(f, t.unknown[0], rows.get("unknown_code"), UNKNOWN_CODE)
    if feed.nhs_number:
        col = feed.nhs_number
        f = _put(f, col, rows.get("nhs_spaced"), lambda v: _split_nhs(v, " "))
        f = _put(f, col, rows.get("nhs_dashed"), lambda v: _split_nhs(v, "-"))
        f = _put(f, col, rows.get("nhs_missing"), null)
        f = _put(f, col, rows.get("nhs_invalid"), lambda v: pa.array(
            invalid_variant(v.cast(pa.int64()).to_numpy()).astype(str).astype(object),
            type=pa.string()))
        f = _put(f, col, rows.get("nhs_zeros"), "0000000000")
    if feed.postcode:
        f = _put(f, feed.postcode, rows.get("postcode_shape"),
                 lambda v: pc.utf8_lower(pc.replace_substring(v, " ", "")))
        f = _put(f, feed.postcode, rows.get("postcode_unmapped"), UNMAPPED_POSTCODE)
    return f


def add_copies(table: pa.Table, feed: Feed, t: Targets, rows: dict[str, np.ndarray],
               ctx: FileContext) -> tuple[pa.Table, list[str]]:
    """Append exact duplicates and superseded earlier versions; return table and copy kinds."""
    parts, kinds = [table], []
    dup = rows.get("duplicate", np.array([], int))
    if dup.size:
        parts.append(table.take(pa.array(dup)))
        kinds += ["duplicate"] * dup.size
    cor = rows.get("correction", np.array([], int))
    if cor.size:
        old = table.take(pa.array(cor))
        i = old.column_names.index(t.correctable)
        old = old.set_column(i, t.correctable, pa.nulls(cor.size, old[t.correctable].type))
        j = old.column_names.index(feed.version)
        earlier = (ctx.extracted - pd.Timedelta(days=10)).strftime(ISO_TS)
        old = old.set_column(j, feed.version, pa.array([earlier] * cor.size, type=pa.string()))
        parts.append(old)
        kinds += ["correction"] * cor.size
    return pa.concat_tables(parts), kinds
