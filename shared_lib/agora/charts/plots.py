"""Standard chart helpers in the NHS theme: trend, bar by breakdown, funnel plot, population
pyramid, area ranking and the SPC (XmR) chart. Each returns an altair chart; render it offline
with `agora.charts.show`, `to_html` or `save`."""
from __future__ import annotations

import altair as alt
import pandas as pd

from agora.charts import spc as spc_
from agora.charts.funnel import funnel_data
from agora.charts.theme import NHS, SPC


class PlotError(ValueError):
    """Columns missing or of the wrong kind for a chart."""


def _need(df, *cols) -> None:
    if not isinstance(df, pd.DataFrame):
        raise PlotError(f"expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c is not None and c not in df.columns]
    if missing:
        raise PlotError(f"column(s) {missing} not in the table; it has {list(df.columns)}")


def _props(title, width, height) -> dict:
    p = {"width": width, "height": height}
    if title:
        p["title"] = title
    return p


def trend(df: pd.DataFrame, x: str, y: str, color: str | None = None, title: str | None = None,
          y_title: str | None = None, target: float | None = None, width: int = 560,
          height: int = 300) -> alt.Chart:
    """A line over time (one line per `color` group), with an optional target line."""
    _need(df, x, y, color)
    enc = {"x": alt.X(x, title=None), "y": alt.Y(y, title=y_title or y),
           "tooltip": [c for c in (x, y, color) if c]}
    if color:
        enc["color"] = alt.Color(color, title=None)
    chart = alt.Chart(df).mark_line(point=True).encode(**enc)
    if target is not None:
        chart = chart + alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(
            color=SPC["target"], strokeDash=[6, 4]).encode(y="target:Q")
    return chart.properties(**_props(title, width, height))


def bar(df: pd.DataFrame, category: str, value: str, color: str | None = None,
        title: str | None = None, value_title: str | None = None, sort: str | None = "-x",
        stack: bool | str = True, width: int = 560, height: int | None = None) -> alt.Chart:
    """Horizontal bars of `value` by `category`, largest first by default (`sort=None` keeps
    the data's order). With `color`, bars are stacked (`stack=True`), stacked to 100%
    (`stack="normalize"`), or side by side (`stack=False`)."""
    _need(df, category, value, color)
    if stack not in (True, False, "normalize"):
        raise PlotError(f"stack must be True, False or 'normalize', got {stack!r}")
    x = alt.X(value, title=value_title or value)
    enc = {"y": alt.Y(category, sort=sort, title=None), "x": x,
           "tooltip": [c for c in (category, color, value) if c]}
    rows = df[category].nunique()
    if color:
        enc["color"] = alt.Color(color, title=None)
        if stack == "normalize":
            enc["x"] = alt.X(value, stack="normalize", title=value_title or f"share of {value}",
                             axis=alt.Axis(format="%"))
        elif stack is False:
            enc["yOffset"] = alt.YOffset(color)
            rows *= max(1, df[color].nunique())
    h = height or max(120, 22 * rows)
    return alt.Chart(df).mark_bar().encode(**enc).properties(**_props(title, width, h))


def funnel_plot(df: pd.DataFrame, unit: str, numerator: str, denominator: str,
                title: str | None = None, y_title: str = "Proportion", width: int = 560,
                height: int = 340) -> alt.LayerChart:
    """Funnel plot: each unit's proportion against its denominator, with 95% and 99.8% limits."""
    pts, limits = funnel_data(df, unit, numerator, denominator)
    base = alt.Chart(limits).encode(x=alt.X("denominator:Q", title=denominator))
    lines = [base.mark_line(color=NHS["mid_grey"], strokeDash=dash).encode(y=alt.Y(f"{c}:Q"))
             for c, dash in (("lower_95", [4, 3]), ("upper_95", [4, 3]),
                             ("lower_998", [1, 0]), ("upper_998", [1, 0]))]
    centre = base.mark_line(color=NHS["black"]).encode(
        y=alt.Y("overall:Q", title=y_title, scale=alt.Scale(zero=False)))
    points = alt.Chart(pts).mark_circle(size=60, opacity=0.9).encode(
        x="denominator:Q", y="proportion:Q",
        color=alt.Color("position:N", title=None, scale=alt.Scale(
            domain=["within limits", "high (95%)", "low (95%)", "high (99.8%)", "low (99.8%)"],
            range=[NHS["mid_grey"], NHS["light_blue"], NHS["warm_yellow"], NHS["blue"],
                   NHS["orange"]])),
        tooltip=[unit, "numerator:Q", "denominator:Q",
                 alt.Tooltip("proportion:Q", format=".1%"), "position:N"])
    return alt.layer(centre, *lines, points).properties(**_props(title, width, height))


def pyramid(df: pd.DataFrame, age_band: str, sex: str, count: str, title: str | None = None,
            order: list | None = None, width: int = 260, height: int = 320) -> alt.HConcatChart:
    """Population pyramid: males to the left, females to the right, by age band."""
    _need(df, age_band, sex, count)
    order = order or sorted(df[age_band].dropna().unique(), reverse=True)
    y = alt.Y(f"{age_band}:O", sort=order, title=None)
    top = pd.to_numeric(df[count], errors="coerce").max()
    top = float(top) if pd.notna(top) and top > 0 else 1.0
    scale = alt.Scale(domain=[0, top])          # both halves on one scale
    males = alt.Chart(df).transform_filter(alt.datum[sex] == "M").mark_bar(
        color=NHS["dark_blue"]).encode(
        y=y, x=alt.X(count, sort="descending", title="Male", scale=scale),
        tooltip=[age_band, count])
    females = alt.Chart(df).transform_filter(alt.datum[sex] == "F").mark_bar(
        color=NHS["aqua_green"]).encode(y=alt.Y(f"{age_band}:O", sort=order, axis=None),
                                        x=alt.X(count, title="Female", scale=scale),
                                        tooltip=[age_band, count])
    chart = alt.hconcat(males.properties(width=width, height=height),
                        females.properties(width=width, height=height), spacing=0)
    return chart.properties(title=title) if title else chart


def ranking(df: pd.DataFrame, area: str, value: str, title: str | None = None,
            highlight: str | None = None, value_title: str | None = None, width: int = 560
            ) -> alt.LayerChart:
    """Areas ranked by `value` (a map-free alternative to a choropleth), with the mean marked and
    one area optionally highlighted."""
    _need(df, area, value)
    data = df.assign(_highlight=df[area].astype(str) == str(highlight))
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y(area, sort="-x", title=None), x=alt.X(value, title=value_title or value),
        color=alt.condition(alt.datum._highlight, alt.value(NHS["orange"]),
                            alt.value(NHS["blue"])),
        tooltip=[area, value])
    mean = alt.Chart(data).mark_rule(color=NHS["black"], strokeDash=[4, 3]).encode(
        x=f"mean({value}):Q")
    h = max(120, 18 * df[area].nunique())
    return alt.layer(bars, mean).properties(**_props(title, width, h))


def spc_chart(result: pd.DataFrame, title: str | None = None, y_title: str = "Value",
              width: int = 620, height: int = 320) -> alt.LayerChart:
    """Draw an `agora.charts.spc.xmr` result: the series, mean, process limits (per segment),
    special-cause points coloured improvement / concern / neutral, target, and the variation and
    assurance icons named in the subtitle."""
    if not isinstance(result, pd.DataFrame) or "point_type" not in result.columns:
        raise PlotError("spc_chart draws the result of agora.charts.spc.xmr(...)")
    data = result.assign(segment=result["segment"].astype(str))
    x = alt.X("x", title=None)
    base = alt.Chart(data).encode(x=x)
    line = base.mark_line(color=SPC["common_cause"]).encode(y=alt.Y("value:Q", title=y_title))
    mean = base.mark_line(color=SPC["mean"]).encode(y="mean:Q", detail="segment:N")
    limits = [base.mark_line(color=SPC["limit"], strokeDash=[5, 4]).encode(
        y=f"{c}:Q", detail="segment:N") for c in ("lpl", "upl")]
    kinds = ["common_cause", "improvement", "concern", "neutral"]
    points = base.mark_circle(size=55, opacity=1).encode(
        y="value:Q",
        color=alt.Color("point_type:N", title=None, scale=alt.Scale(
            domain=kinds, range=[SPC["common_cause"], SPC["special_cause_improvement"],
                                 SPC["special_cause_concern"], SPC["special_cause_neutral"]])),
        tooltip=["x", "value:Q", "mean:Q", "lpl:Q", "upl:Q", "point_type:N"])
    layers = [line, mean, *limits, points]
    target = result.attrs.get("target")
    if target is not None:
        layers.append(alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(
            color=SPC["target"], strokeDash=[8, 4]).encode(y="target:Q"))
    s = spc_.summary(result)
    subtitle = [f"Variation: {s['variation_label']}"]
    if s["assurance"]:
        subtitle.append(f"Assurance: {s['assurance_label']}")
    t = alt.TitleParams(title or "", subtitle=subtitle)
    return alt.layer(*layers).properties(title=t, width=width, height=height)
