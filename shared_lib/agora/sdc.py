"""Statistical disclosure control (SDC) for outputs that leave the analyst tier.

Two rules, with their thresholds named once (DATA_SPEC.md, "Statistical disclosure control"):

* **HES/ECDS** (NHS England, below national level): 0 stays 0; 1-7 is suppressed (shown as
  ``*``); every other count is rounded to the nearest 5; percentages are computed from the rounded
  values; means and medians over 1-7 people are suppressed.
* **OpenSAFELY**: any statistic describing 7 or fewer people is redacted, the rest rounded to the
  nearest 5; totals are sums of rounded cells. Optionally "midpoint 6" rounding,
  ``ceil(x/6)*6 - 3*(x != 0)``, in columns suffixed ``_midpoint6``.

Suppressed or redacted cells are ``<NA>`` in nullable ``Int64`` columns, so arithmetic on them
stays missing (a rate from a suppressed count is suppressed); `display` shows them as ``*``.

Rounding at a tie is **half away from zero** (2.5 -> 5, 12.5 -> 15, 17.5 -> 20 to the nearest 5;
0.125 -> 0.13 to 2 dp), not Python's round-half-to-even (which would give 0, 10, 20). Integer
counts never tie at base 5; ties arise for weighted counts and for percentages.

`check` finds count cells of 1-7 left unsuppressed, and `gate` raises `DisclosureError` if there
are any: the report scheduler calls it before anything is published. `protect_table` adds
secondary suppression, so a suppressed cell cannot be recovered from published row and column
totals. The module is pure: pandas and numpy in, pandas out, no I/O.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd

# Thresholds ----------------------------------------------------------------------------------
SUPPRESSION_THRESHOLD = 7   # counts of 1..7 people (HES) or <= 7 (OpenSAFELY) are not shown
ROUNDING_MULTIPLE = 5       # other counts are rounded to the nearest 5
MIDPOINT_MULTIPLE = 6       # OpenSAFELY "midpoint 6" rounding
MIDPOINT6_SUFFIX = "_midpoint6"
SUPPRESSED_MARK = "*"
TOTAL_LABEL = "Total"

# Column names treated as dimensions or statistics, never as counts, by `check`.
NOT_COUNT = re.compile(
    r"(^|_)(year|month|week|day|hour|date|period|decile|quintile|age|age_band|rank|position|"
    r"code|id|rate|pct|percent|percentage|proportion|ratio|mean|median|average|score|per_|"
    r"lower|upper|limit|target|fy|type|class|category|method|status|mode|source|destination|"
    r"function|priority|acuity|pathway|tier|segment|sex|flag|group|breakdown)(_|$)",
    re.IGNORECASE)
CODE_TEXT = re.compile(r"^0\d")   # text such as "01": a code, not a count
# Text a table may show instead of a hidden count (compared without case or surrounding space).
MARKERS = frozenset({SUPPRESSED_MARK, "", "-", "<na>", "nan", "none", "null", "redacted",
                     "[redacted]", "suppressed", "c", "x", "..", ":"})


class SDCError(ValueError):
    """Input that disclosure control cannot be applied to (negative or fractional counts ...)."""


class DisclosureError(SDCError):
    """An output still contains small counts: it must not be published."""

    def __init__(self, violations: pd.DataFrame):
        self.violations = violations
        shown = violations.head(10).to_string(index=False)
        super().__init__(f"{len(violations)} cell(s) hold an unsuppressed count of 1-"
                         f"{SUPPRESSION_THRESHOLD}; apply agora.sdc.hes or agora.sdc.opensafely "
                         f"before publishing:\n{shown}")


@dataclass(frozen=True)
class Rule:
    """A disclosure rule: which counts are hidden and how the rest are rounded."""
    name: str
    threshold: int = SUPPRESSION_THRESHOLD
    multiple: int = ROUNDING_MULTIPLE
    hide_zero: bool = False         # OpenSAFELY redacts <= 7, zero included; HES shows 0
    totals_from_rounded: bool = False


HES = Rule("hes")
OPENSAFELY = Rule("opensafely", hide_zero=True, totals_from_rounded=True)
RULES = {r.name: r for r in (HES, OPENSAFELY)}


def get_rule(name_or_rule: str | Rule) -> Rule:
    if isinstance(name_or_rule, Rule):
        return name_or_rule
    try:
        return RULES[str(name_or_rule).lower()]
    except KeyError:
        raise SDCError(f"unknown SDC rule {name_or_rule!r}; choose from {sorted(RULES)}") from None


# Pure value functions ------------------------------------------------------------------------
def round_half_up(values, multiple: float = 1):
    """Round to the nearest `multiple`, ties away from zero (2.5 -> 5 at multiple 5)."""
    x = np.asarray(values, dtype="float64")
    q = x / multiple
    out = np.sign(q) * np.floor(np.abs(q) + 0.5) * multiple
    return out if out.ndim else float(out)


def round_dp(values, dp: int = 1):
    """Round to `dp` decimal places, ties away from zero, on the decimal value as written
    (so 2.675 -> 2.68, where binary floating point would give 2.67)."""
    x = pd.Series(values, dtype="float64")
    out = x.map(lambda v: v if pd.isna(v) else float(_decimal_round(v, dp)))
    return out if np.ndim(values) else float(out.iloc[0])


def _decimal_round(v: float, dp: int):
    from decimal import ROUND_HALF_UP, Decimal
    return Decimal(repr(v)).quantize(Decimal(1).scaleb(-dp), rounding=ROUND_HALF_UP)


def _as_counts(values, name: str = "count") -> pd.Series:
    """Validate counts: numbers, whole, non-negative, finite (missing stays missing)."""
    s = pd.Series(values)
    if s.dtype == bool or pd.api.types.is_bool_dtype(s.dtype):
        raise SDCError(f"{name}: expected counts, got booleans")
    num = pd.to_numeric(s, errors="coerce")
    bad = num.isna() & s.notna()
    if bad.any():
        raise SDCError(f"{name}: not a number: {s[bad].iloc[0]!r}")
    f = num.astype("float64").dropna()
    if np.isinf(f).any():
        raise SDCError(f"{name}: infinite count")
    if (f < 0).any():
        raise SDCError(f"{name}: negative count {f[f < 0].iloc[0]!r}")
    if ((f % 1) != 0).any():
        raise SDCError(f"{name}: counts must be whole numbers, got {f[(f % 1) != 0].iloc[0]!r}")
    return num.astype("Float64").astype("Int64")


def suppress_counts(values, rule: str | Rule = HES) -> pd.Series:
    """Counts under a rule: hidden cells become <NA>, the rest rounded to the rule's multiple."""
    r = get_rule(rule)
    c = _as_counts(values)
    small = (c <= r.threshold) & ((c > 0) | r.hide_zero)
    rounded = pd.Series(round_half_up(c.astype("float64"), r.multiple), index=c.index)
    out = rounded.astype("Int64").mask(small.fillna(False))
    return out.mask(c.isna())


def hes_counts(values) -> pd.Series:
    """HES/ECDS: 0 -> 0, 1-7 -> <NA> (shown `*`), else nearest 5."""
    return suppress_counts(values, HES)


def opensafely_counts(values) -> pd.Series:
    """OpenSAFELY: <= 7 -> <NA> (redacted), else nearest 5."""
    return suppress_counts(values, OPENSAFELY)


def midpoint6(values) -> pd.Series:
    """OpenSAFELY midpoint-6 rounding: ceil(x/6)*6 - 3*(x != 0); 0 -> 0, 1-6 -> 3, 7-12 -> 9."""
    c = _as_counts(values).astype("float64")
    out = np.ceil(c / MIDPOINT_MULTIPLE) * MIDPOINT_MULTIPLE - 3 * (c != 0)
    return pd.Series(out, index=c.index).astype("Int64").mask(c.isna())


def rate(numerator, denominator, per: float = 100, dp: int | None = 1) -> pd.Series:
    """A rate from (already suppressed and rounded) counts: missing if either is missing or the
    denominator is 0, so a rate never reveals a suppressed count."""
    if isinstance(per, bool) or not isinstance(per, (int, float)) or not 0 < per < float("inf"):
        raise SDCError(f"per must be a positive number, got {per!r}")
    if dp is not None and (isinstance(dp, bool) or not isinstance(dp, int) or not 0 <= dp <= 10):
        raise SDCError(f"dp must be a whole number of decimal places 0-10, got {dp!r}")
    n = pd.Series(numerator, dtype="Float64")
    d = pd.Series(denominator, dtype="Float64").set_axis(n.index)
    r = (n * per / d.mask(d == 0)).astype("float64")
    return round_dp(r, dp) if dp is not None else r


# DataFrames ----------------------------------------------------------------------------------
def _columns(df: pd.DataFrame, cols, what: str) -> list[str]:
    if not isinstance(df, pd.DataFrame):
        raise SDCError(f"expected a pandas DataFrame, got {type(df).__name__}")
    cols = [cols] if isinstance(cols, str) else list(cols or [])
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise SDCError(f"{what} column(s) not in the table: {missing}; it has {list(df.columns)}")
    return cols


def _suppress_stats(out: pd.DataFrame, raw: pd.DataFrame, stats, people: str | None, r: Rule):
    stats = _columns(raw, stats, "statistic")
    if not stats:
        return
    if people is None:
        raise SDCError("statistics (means, medians, rates ...) need `people`: the column counting "
                       "the people each statistic describes")
    n = _as_counts(raw[_columns(raw, people, "people")[0]], people)
    hide = ((n <= r.threshold) & ((n > 0) | r.hide_zero)).fillna(True)
    for col in stats:
        out[col] = pd.to_numeric(raw[col], errors="coerce").astype("float64").mask(hide)


def apply(df: pd.DataFrame, counts, rule: str | Rule = HES, stats=(), people: str | None = None,
          use_midpoint6: bool = False) -> pd.DataFrame:
    """Apply a rule to the `counts` columns of a copy of `df`.

    `stats` are means/medians/rates describing `people` (a raw count column): they are suppressed
    where that count is hidden. With `use_midpoint6` (OpenSAFELY) each count column is replaced by
    `<name>_midpoint6` holding midpoint-6 rounded values instead of redaction and rounding.
    """
    r = get_rule(rule)
    counts = _columns(df, counts, "count")
    out = df.copy()
    _suppress_stats(out, df, stats, people, r)
    for col in counts:
        if use_midpoint6:
            out[col] = midpoint6(df[col]).set_axis(df.index)
            out = out.rename(columns={col: col + MIDPOINT6_SUFFIX})
        else:
            out[col] = suppress_counts(df[col], r).set_axis(df.index)
    return out


def hes(df: pd.DataFrame, counts, stats=(), people: str | None = None) -> pd.DataFrame:
    """The HES/ECDS rule on a DataFrame (see `apply`)."""
    return apply(df, counts, HES, stats, people)


def opensafely(df: pd.DataFrame, counts, stats=(), people: str | None = None,
               midpoint6: bool = False) -> pd.DataFrame:
    """The OpenSAFELY rule on a DataFrame (see `apply`)."""
    return apply(df, counts, OPENSAFELY, stats, people, use_midpoint6=midpoint6)


def with_rate(df: pd.DataFrame, numerator: str, denominator: str, name: str = "rate",
              per: float = 100, dp: int | None = 1) -> pd.DataFrame:
    """Add a rate column computed from the (suppressed, rounded) numerator and denominator."""
    _columns(df, [numerator, denominator], "rate")
    return df.assign(**{name: rate(df[numerator], df[denominator], per, dp).set_axis(df.index)})


def total_row(df: pd.DataFrame, counts, label_col: str | None = None) -> pd.DataFrame:
    """Append a total row that sums the *published* (rounded, suppressed-as-0) cells."""
    counts = _columns(df, counts, "count")
    row = {c: df[c].astype("Int64").fillna(0).sum() for c in counts}
    if label_col is not None:
        row[label_col] = TOTAL_LABEL
    return pd.concat([df, pd.DataFrame([row])], ignore_index=True)


# Secondary suppression -------------------------------------------------------------------------
def secondary_mask(values: np.ndarray, primary: np.ndarray, margin_row: bool,
                   margin_col: bool) -> np.ndarray:
    """Grow `primary` (a boolean matrix over `values`, margins included as the last row/column)
    until no row or column line has exactly one hidden element, so none can be recovered by
    subtraction from the others. The complement chosen is the smallest non-zero interior cell of
    the line (then zeros, then a margin). Lines are processed together, repeated to a fixed
    point."""
    v = np.asarray(values, dtype="float64")
    mask = np.asarray(primary, dtype=bool).copy()
    nr, nc = v.shape
    big = float(np.nanmax(v)) + 1 if v.size else 1.0
    cost = np.where(v == 0, big + v, v)
    if margin_row:
        cost[-1, :] += 2 * big
    if margin_col:
        cost[:, -1] += 2 * big
    while True:
        changed = False
        for axis in (1, 0):
            if (axis == 1 and nc < 2) or (axis == 0 and nr < 2):
                continue
            c = np.where(mask, np.inf, cost)
            lonely = mask.sum(axis=axis) == 1
            pick = np.argmin(c, axis=axis)
            ok = lonely & np.isfinite(np.take_along_axis(
                c, np.expand_dims(pick, axis), axis).squeeze(axis))
            lines = np.flatnonzero(ok)
            if lines.size:
                if axis == 1:
                    mask[lines, pick[lines]] = True
                else:
                    mask[pick[lines], lines] = True
                changed = True
        if not changed:
            return mask


def protect_table(table: pd.DataFrame, rule: str | Rule = HES, margins: bool = True
                  ) -> pd.DataFrame:
    """Disclosure-protect a cross-tabulation of counts (rows x columns, all cells counts).

    With `margins`, a "Total" row and column are added. Under HES the totals are the true totals,
    rounded, and cells are suppressed as a second step wherever a hidden cell could otherwise be
    recovered from a total; under OpenSAFELY totals are sums of the rounded cells, which reveal
    nothing further. Hidden cells are <NA>.
    """
    r = get_rule(rule)
    if not isinstance(table, pd.DataFrame) or table.empty:
        raise SDCError("protect_table needs a non-empty DataFrame of counts")
    raw = pd.DataFrame({c: _as_counts(table[c], str(c)) for c in table.columns},
                       index=table.index)
    if raw.isna().any().any():
        raise SDCError("protect_table: the table has missing counts; fill true zeros first")
    multi_r, multi_c = margins and len(raw) > 1, margins and raw.shape[1] > 1
    if r.totals_from_rounded:
        cells = raw.apply(lambda s: suppress_counts(s, r))
        out = cells.copy()
        if multi_c:
            out[TOTAL_LABEL] = cells.fillna(0).sum(axis=1).astype("Int64")
        if multi_r:
            out.loc[TOTAL_LABEL] = out.fillna(0).sum(axis=0).astype("Int64")
        return out
    full = raw.copy()
    if multi_c:
        full[TOTAL_LABEL] = raw.sum(axis=1)
    if multi_r:
        full.loc[TOTAL_LABEL] = full.sum(axis=0)
    v = full.to_numpy(dtype="float64")
    primary = (v <= r.threshold) & ((v > 0) | r.hide_zero)
    mask = secondary_mask(v, primary, multi_r, multi_c) if margins else primary
    rounded = round_half_up(v, r.multiple)
    out = pd.DataFrame(rounded, index=full.index, columns=full.columns).astype("Int64")
    return out.mask(mask)


# Checking and gating ----------------------------------------------------------------------------
def _numbers(s: pd.Series) -> tuple[pd.Series, bool]:
    """(numeric values of a column, whether every other value is a marker or missing).
    Text is read as a published table shows it: thousands separators and spaces allowed."""
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        return pd.to_numeric(s, errors="coerce").astype("Float64"), True
    text = s.astype("string").str.strip()
    if text.str.match(CODE_TEXT).fillna(False).any():
        return pd.Series(pd.NA, index=s.index, dtype="Float64"), False
    num = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
    other = text[num.isna() & text.notna()].str.lower()
    return num.astype("Float64"), bool(other.isin(MARKERS).all())


def count_columns(df: pd.DataFrame, exclude: Iterable[str] = ()) -> list[str]:
    """Columns `check` treats as counts: whole-number numeric (or numeric text) columns whose name
    is not a dimension or statistic (year, decile, rate, mean ...) and not a midpoint-6 column.
    Text columns count when every non-number in them is a suppression marker (`MARKERS`)."""
    exclude = set(exclude)
    found = []
    for col in df.columns:
        name = str(col)
        if col in exclude or name.endswith(MIDPOINT6_SUFFIX) or NOT_COUNT.search(name):
            continue
        s = df[col]
        if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_datetime64_any_dtype(s.dtype):
            continue
        num, only_markers = _numbers(s)
        if not only_markers or num.notna().sum() == 0:
            continue
        if ((num.dropna() % 1) == 0).all():
            found.append(col)
    return found


def check(df, counts=None, exclude: Iterable[str] = ()) -> pd.DataFrame:
    """Cells holding an unsuppressed count of 1-7: a DataFrame (row, column, value), empty if
    none. `counts` names the count columns; by default they are inferred (`count_columns`).
    A Series is checked as a one-column table."""
    if isinstance(df, pd.Series):
        df = df.to_frame(name=df.name if df.name is not None else "count")
    if not isinstance(df, pd.DataFrame):
        raise SDCError(f"expected a pandas DataFrame, got {type(df).__name__}")
    cols = count_columns(df, exclude) if counts is None else _columns(df, counts, "count")
    found = []
    for col in cols:
        num, _ = _numbers(df[col])
        bad = ((num >= 1) & (num <= SUPPRESSION_THRESHOLD)).fillna(False).to_numpy(dtype=bool)
        if bad.any():
            found.append(pd.DataFrame({"row": df.index[bad], "column": col,
                                       "value": num[bad].astype("float64").to_numpy()}))
    if not found:
        return pd.DataFrame({"row": [], "column": [], "value": []})
    return pd.concat(found, ignore_index=True)


def gate(df: pd.DataFrame, counts=None, exclude: Iterable[str] = ()) -> pd.DataFrame:
    """Return `df` unchanged if it is safe to publish, else raise `DisclosureError`."""
    violations = check(df, counts, exclude)
    if len(violations):
        raise DisclosureError(violations)
    return df


def display(df: pd.DataFrame, mark: str = SUPPRESSED_MARK) -> pd.DataFrame:
    """A copy for showing or writing out: hidden count cells (<NA> in Int64 columns) as `mark`."""
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.Int64Dtype):
            out[col] = out[col].astype("object").where(out[col].notna(), mark)
    return out
