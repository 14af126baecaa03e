"""Helpers report templates use in their kernel: tables through SDC, offline charts, SPC, text.

    from agora.reports import render as R
    R.setup()                                           # offline charts, NHS theme
    R.table(df, counts=["attendances"])                 # suppress 1-7, round to 5, show
    R.chart(alt.Chart(t).mark_bar()..., data=t)         # static SVG; its data goes to the gate
    R.spc(monthly, "month", "pct_4h", "A&E 4-hour", target=78)

Every table and chart carries its (already protected) data and count columns in the output's
metadata, so the SDC gate checks exactly what a reader sees before anything is published.
"""
from __future__ import annotations

import html as _html
from typing import Iterable

import pandas as pd

from agora import sdc

META_KEY = "agora"
MAX_ROWS = 200


def setup() -> None:
    """Once at the top of a template: charts render to SVG offline with the NHS theme, and a
    cell's last value is not echoed (a report shows only what it displays on purpose)."""
    from agora import charts

    charts.enable_offline()
    try:
        get_ipython().ast_node_interactivity = "none"  # noqa: F821 (defined in kernels)
    except NameError:
        pass


def _records(df: pd.DataFrame) -> dict:
    shown = sdc.display(df.head(MAX_ROWS).reset_index(drop=True))
    shown = shown.astype(object).where(shown.notna(), None)
    return {"columns": [str(c) for c in shown.columns],
            "data": [[_plain(v) for v in row] for row in shown.itertuples(index=False)]}


def _plain(v):
    if v is None or isinstance(v, (str, bool, int, float)):
        return v
    if hasattr(v, "item"):
        return v.item()
    return str(v)


def protect(df: pd.DataFrame, counts: Iterable[str] = (), rule: str = "hes",
            stats: Iterable[str] = (), people: str | None = None) -> pd.DataFrame:
    """`agora.sdc.apply` for the `counts` columns (and statistics describing `people`)."""
    counts = list(counts)
    return sdc.apply(df, counts, rule, list(stats), people) if counts else df.copy()


def table(df: pd.DataFrame, counts: Iterable[str] = (), rule: str = "hes", caption: str = "",
          stats: Iterable[str] = (), people: str | None = None, protected: bool = False,
          decimals: int = 1) -> pd.DataFrame:
    """Show `df` as a report table, its `counts` protected by SDC `rule` (unless `protected`
    says that was done already); returns the protected table."""
    from IPython.display import HTML, display

    counts = list(counts)
    out = df.copy() if protected else protect(df, counts, rule, stats, people)
    shown = sdc.display(out.head(MAX_ROWS))
    page = shown.to_html(index=False, na_rep="", float_format=lambda x: f"{x:,.{decimals}f}",
                         classes="agora-table", border=0)
    note = f"<p class='agora-note'>{_html.escape(caption)}</p>" if caption else ""
    small = (f"<p class='agora-note'>Counts of 1-{sdc.SUPPRESSION_THRESHOLD} are shown as "
             f"{sdc.SUPPRESSED_MARK}; other counts are rounded to the nearest "
             f"{sdc.ROUNDING_MULTIPLE}.</p>") if counts else ""
    display(HTML(f"<div class='agora-table'>{note}{page}{small}</div>"),
            metadata={META_KEY: {"table": {**_records(out), "counts": counts}}})
    return out


def chart(ch, data: pd.DataFrame | None = None, counts: Iterable[str] | None = None) -> None:
    """Show an altair chart as static SVG. `data` (default: the chart's own DataFrame) and its
    `counts` columns go into the output metadata for the SDC gate."""
    from IPython.display import SVG, display

    from agora import charts

    if data is None and isinstance(getattr(ch, "data", None), pd.DataFrame):
        data = ch.data
    meta = {}
    if data is not None:
        meta = {META_KEY: {"chart": {**_records(data),
                                     "counts": list(counts) if counts is not None else None}}}
    display(SVG(charts.to_svg(ch)), metadata=meta)


def spc(df: pd.DataFrame, x: str, y: str, title: str, improvement: str = "increase",
        target: float | None = None, y_title: str | None = None) -> dict:
    """An SPC (Making Data Count XmR) chart of `y` over `x` with a sentence on what it shows;
    returns the SPC summary (latest, mean, limits, variation and assurance)."""
    from agora import charts

    if len(df) < 3:
        markdown(f"*{title}: too few points for an SPC chart ({len(df)}).*")
        return {}
    result = charts.spc.xmr(df[y].astype(float).reset_index(drop=True),
                            dates=df[x].reset_index(drop=True), improvement=improvement,
                            target=target)
    chart(charts.spc_chart(result, title=title, y_title=y_title or y),
          data=df[[x, y]], counts=[])
    s = charts.spc.summary(result)
    text = (f"Latest {s['latest']:,.1f} against a mean of {s['mean']:,.1f} (process limits "
            f"{s['lpl']:,.1f} to {s['upl']:,.1f}). {s['variation_label']}.")
    if s.get("assurance_label"):
        text += f" {s['assurance_label']}."
    markdown(text)
    return s


def markdown(text: str) -> None:
    from IPython.display import Markdown, display

    display(Markdown(text))


def headline(figures: dict[str, object]) -> None:
    """Key figures in one line of bold text (values already protected where they are counts)."""
    markdown(" · ".join(f"**{k}:** {v}" for k, v in figures.items()))


def fmt_count(n) -> str:
    """One count under the HES rule, for text: `*` for 1-7, nearest 5 otherwise."""
    v = sdc.hes_counts([n]).iloc[0]
    return sdc.SUPPRESSED_MARK if pd.isna(v) else f"{int(v):,}"


def pct(num, den, dp: int = 1) -> str:
    """A percentage for text, from counts protected first (so it reveals no small count)."""
    r = sdc.rate(sdc.hes_counts([num]), sdc.hes_counts([den]), 100, dp).iloc[0]
    return "*" if pd.isna(r) else f"{r:.{dp}f}%"


# Data from the store ------------------------------------------------------------------------
SQL_DIR = __import__("pathlib").Path(__file__).with_name("sql")


def query(name: str, params: dict | None = None) -> pd.DataFrame:
    """Run the report query `sql/<name>.sql` on the current snapshot (read-only), binding
    `params` by name ($name in the SQL)."""
    from agora import store

    path = SQL_DIR / f"{name}.sql"
    if not path.is_file() or not name.replace("_", "").isalnum():
        raise ValueError(f"no report query {name!r}")
    con = store.connect()
    try:
        return con.execute(path.read_text(encoding="utf-8"), params or {}).df()
    finally:
        con.close()


def period(months: int = 12, end: str = "", days: int | None = None) -> tuple[str, str]:
    """(start, end) ISO dates of the `months` (or `days`) up to `end` (default: the last day
    with A&E activity in the store), for metric parameters."""
    import datetime as dt

    if end:
        last = dt.date.fromisoformat(end)
    else:
        found = query("data_end")["data_end"].iloc[0]
        last = pd.Timestamp(found).date() if pd.notna(found) else dt.date.today()
    back = pd.Timedelta(days=days) if days else pd.DateOffset(months=months)
    first = (pd.Timestamp(last) - back + pd.Timedelta(days=1)).date()
    return first.isoformat(), last.isoformat()


def metric(name: str, counts: Iterable[str], stats: Iterable[str] = (), people: str | None = None,
           caption: str = "", columns: Iterable[str] | None = None, **params) -> pd.DataFrame:
    """Run `agora.metrics.run(name, **params)` and show it as a protected table (`counts` under
    SDC; `stats` such as percentages suppressed where `people` is 1-7); returns that table."""
    from agora import metrics

    df = metrics.run(name, **params)
    if "period" in df.columns:
        df["period"] = pd.to_datetime(df["period"]).dt.strftime("%Y-%m-%d")
    if columns is not None:
        df = df[list(columns)]
    cap = caption or metrics.get(name).description
    return table(df, counts=counts, stats=stats, people=people, caption=cap)
