"""Charts in NHS identity colours that render with no network, and SPC "Making Data Count"
XmR charts.

    from agora import charts
    charts.enable_offline()                      # once per notebook: SVG output, NHS theme
    r = charts.spc.xmr(monthly["pct_4h"], improvement="increase", target=78)
    charts.spc_chart(r, title="A&E 4-hour performance")
"""
from agora.charts import spc
from agora.charts.funnel import funnel_data
from agora.charts.icons import icon_svg, icons_html
from agora.charts.plots import bar, funnel_plot, pyramid, ranking, spc_chart, trend
from agora.charts.render import (ChartError, enable_offline, save, show, spec, to_html, to_png,
                                 to_svg)
from agora.charts.theme import NHS, SPC

__all__ = ["spc", "funnel_data", "icon_svg", "icons_html", "bar", "funnel_plot", "pyramid",
           "ranking", "spc_chart", "trend",
           "ChartError", "enable_offline", "save", "show", "spec", "to_html", "to_png", "to_svg",
           "NHS", "SPC"]
