"""Building blocks for dashboard notebooks: filters that redraw, offline charts, safe tables.

A dashboard notebook describes what to draw for a selection; the kit does the rest:

    from agora.dashboards import kit
    def draw(sel):                        # sel.start, sel.end, sel.site, sel.pcn, sel.org
        df = kit.metric("ae_4hour", sel, grain="week")
        yield kit.spc(df, "A&E 4-hour performance", target=78)
    kit.Dashboard(draw, filters=("period", "site"))

Charts are static SVG (agora.charts, no network); counts go through the SDC rule before they are
shown; an empty selection says so instead of failing.
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd

SQL_DIR = Path(__file__).with_name("sql")
PERIODS = {"Last 3 months": 3, "Last 6 months": 6, "Last 12 months": 12}
ALL = ""                  # the "All" choice of a filter (ipywidgets cannot select None)


@dataclass(frozen=True)
class Selection:
    """What the viewer picked: a period (inclusive dates) and optional site, PCN, organisation."""
    start: dt.date
    end: dt.date
    site: str | None = None
    pcn: str | None = None
    org: str | None = None

    @property
    def params(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "site": self.site, "pcn": self.pcn,
                "org": self.org}


class NoData(Exception):
    """Nothing to show for this selection."""


@lru_cache(maxsize=1)
def connection():
    """Read-only connection to the current store snapshot (one per kernel)."""
    from ..store import connect
    return connect()


@lru_cache(maxsize=None)
def sql_text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text()


def query(name: str, sel: Selection | None = None, **params: Any) -> pd.DataFrame:
    """Run sql/<name>.sql with the selection and `params` bound (only those the SQL uses)."""
    text = sql_text(name)
    values = {**(sel.params if sel else {}), **params}
    used = {k: v for k, v in values.items() if f"${k}" in text}
    return connection().execute(text, used).df()


def metric(name: str, sel: Selection, **kw: Any) -> pd.DataFrame:
    """A metric from agora.metrics for the selection (site/org only where the metric has them)."""
    from .. import metrics
    m = metrics.get(name)
    args = dict(period_start=sel.start, period_end=sel.end, con=connection(), **kw)
    if m.site and sel.site:
        args["site"] = sel.site
    if sel.pcn or sel.org:
        args["org"] = sel.pcn or sel.org
    return metrics.run(name, **args)


def data_end(sql_name: str = "data_end") -> dt.date:
    """The last date with activity in the store (periods count back from it)."""
    try:
        value = query(sql_name).iloc[0, 0]
    except Exception:
        value = None
    if value is None or pd.isna(value):
        return dt.date.today()
    return pd.Timestamp(value).date()


def choices(kind: str) -> list[tuple[str, str]]:
    """Dropdown options for 'site', 'pcn' or 'org' from the store's reference data."""
    try:
        df = query(f"choices_{kind}")
    except Exception:
        df = pd.DataFrame(columns=["code", "name"])
    return [("All", ALL)] + [(f"{r.name} ({r.code})", r.code) for r in df.itertuples()]


def safe_counts(df: pd.DataFrame, counts: Iterable[str]) -> pd.DataFrame:
    """Counts under the HES/ECDS rule (1-7 hidden, others rounded to 5), ready to show."""
    from .. import sdc
    return sdc.hes(df, list(counts))


def table(df: pd.DataFrame, caption: str = "") -> str:
    from .. import sdc
    body = sdc.display(df).to_html(index=False, border=0, classes="agora-table", na_rep="*")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f'<div class="agora-table-wrap">{body.replace("<thead>", cap + "<thead>", 1)}</div>'


def chart_html(chart: Any) -> str:
    from ..charts import to_svg
    return f'<figure class="agora-chart">{to_svg(chart)}</figure>'


def nodata(title: str) -> str:
    return f'<p class="agora-nodata">{html.escape(title)}: no data for this selection.</p>'


def spc(df: pd.DataFrame, title: str, x: str = "period", target: float | None = None,
        improvement: str | None = None, y_title: str | None = None) -> str:
    """An SPC chart of df.value over `x` (direction from the metric when it is one)."""
    import warnings

    from ..charts import spc as spc_mod, spc_chart
    df = df.dropna(subset=["value"]) if "value" in df else df
    if df.empty:
        return nodata(title)
    direction = improvement or {"higher": "increase", "lower": "decrease"}.get(
        df.attrs.get("direction"), "neutral")
    series = df.sort_values(x)
    target = target if target is not None else df.attrs.get("target")
    y_title = y_title or df.attrs.get("unit", "")
    try:
        with warnings.catch_warnings():      # short series: the chart's subtitle says so
            warnings.simplefilter("ignore")
            result = spc_mod.xmr(series["value"].to_numpy(), dates=series[x],
                                 improvement=direction, target=target)
    except ValueError:                       # too few points for process limits: a plain line
        from ..charts import trend
        return chart_html(trend(series, x, "value", title=title, y_title=y_title, target=target))
    return chart_html(spc_chart(result, title=title, y_title=y_title))


def bar(df: pd.DataFrame, category: str, value: str, title: str, **kw: Any) -> str:
    """Horizontal bars (agora.charts.bar), or a note when the selection has nothing to show."""
    from .. import charts
    df = df.dropna(subset=[value])
    if df.empty:
        return nodata(title)
    return chart_html(charts.bar(df, category, value, title=title, **kw))


def render(item: Any) -> str:
    """HTML for one thing a dashboard yields: HTML/markdown-ish text, a DataFrame or a chart."""
    if isinstance(item, str):
        return item if item.lstrip().startswith("<") else f"<p>{html.escape(item)}</p>"
    if isinstance(item, pd.DataFrame):
        return table(item)
    return chart_html(item)


class Dashboard:
    """Filters across the top; everything `draw(selection)` yields below, redrawn on change."""

    def __init__(self, draw: Callable[[Selection], Iterable[Any]],
                 filters: tuple[str, ...] = ("period",), title: str = "",
                 end: dt.date | None = None) -> None:
        import ipywidgets as w
        from IPython.display import HTML, display

        from ..charts import enable_offline
        enable_offline()
        self.draw, self.end = draw, end or data_end()
        self.widgets: dict[str, Any] = {}
        if "period" in filters:
            self.widgets["period"] = w.Dropdown(options=list(PERIODS.items()), value=12,
                                                description="Period")
        for kind, label in (("site", "Site"), ("pcn", "PCN"), ("org", "Organisation")):
            if kind in filters:
                self.widgets[kind] = w.Dropdown(options=choices(kind), value=ALL,
                                                description=label)
        self.out = w.HTML()
        self.status = w.HTML()
        for widget in self.widgets.values():
            widget.add_class("agora-filter")
            widget.observe(self.redraw, "value")
        self.out.add_class("agora-output")
        display(HTML((f'<h1 class="agora-title">{html.escape(title)}</h1>' if title else "")
                     + '<style>.agora-table td,.agora-table th{padding:2px 8px}'
                       '.agora-chart{margin:8px 0}</style>'),
                w.HBox(list(self.widgets.values())), self.status, self.out)
        self.redraw()

    def selection(self) -> Selection:
        months = self.widgets["period"].value if "period" in self.widgets else 12
        start = (pd.Timestamp(self.end) - pd.DateOffset(months=months)
                 + pd.Timedelta(days=1)).date()
        pick = {k: self.widgets[k].value or None for k in ("site", "pcn", "org")
                if k in self.widgets}
        return Selection(start=start, end=self.end, **pick)

    def redraw(self, *_: Any) -> None:
        sel = self.selection()
        self.status.value = (f'<p class="agora-status">{sel.start:%d %b %Y} to {sel.end:%d %b %Y}'
                             + "".join(f" &middot; {k}: {html.escape(str(v))}"
                                       for k, v in (("site", sel.site), ("PCN", sel.pcn),
                                                    ("organisation", sel.org)) if v) + "</p>")
        parts = []
        try:
            for item in self.draw(sel):
                parts.append(render(item))
        except NoData as exc:
            parts.append(f'<p class="agora-nodata">{html.escape(str(exc))}.</p>')
        except Exception as exc:  # show the viewer a message, never a traceback
            parts.append(f'<p class="agora-nodata">This view could not be drawn for the '
                         f'selection ({html.escape(type(exc).__name__)}).</p>')
        self.out.value = "".join(parts) or '<p class="agora-nodata">No data for this selection.</p>'
