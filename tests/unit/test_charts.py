"""Chart helpers render offline (vl-convert, no network) to SVG with marks; theme, funnel limits
worked by hand; bad input gets clear errors."""
from __future__ import annotations

import re

import altair as alt
import nbformat
import pandas as pd
import pytest

from agora import charts
from agora.charts import funnel, spc

pytestmark = pytest.mark.filterwarnings("ignore:SPC segment")

MONTHS = pd.date_range("2024-04-01", periods=24, freq="MS")


def marks(svg: str) -> int:
    return len(re.findall(r"<(path|rect|circle|line)\b", svg))


def practices():
    return pd.DataFrame({"practice": ["F81001", "F81002", "F81003", "F81004", "F81005"],
                         "seen": [76, 40, 140, 10, 45], "registered": [100, 100, 200, 50, 50]})


def test_theme_uses_nhs_colours():
    assert charts.NHS["blue"] == "#005EB8"
    with alt.theme.enable("agora_nhs"):
        spec = alt.Chart(practices()).mark_bar().encode(x="seen", y="practice").to_dict()
    assert spec["config"]["range"]["category"][0] == "#005EB8"


@pytest.mark.parametrize("make", [
    lambda: charts.trend(pd.DataFrame({"month": MONTHS, "v": range(24)}), "month", "v",
                         target=10, title="Trend"),
    lambda: charts.bar(practices(), "practice", "seen", title="Bar"),
    lambda: charts.bar(practices().assign(g="a"), "practice", "seen", color="g"),
    lambda: charts.bar(practices().assign(g="a"), "practice", "seen", color="g", stack=False),
    lambda: charts.bar(practices().assign(g="a"), "practice", "seen", color="g",
                       stack="normalize"),
    lambda: charts.funnel_plot(practices(), "practice", "seen", "registered", title="Funnel"),
    lambda: charts.pyramid(pd.DataFrame({"age": ["0-17", "0-17", "65+", "65+"],
                                         "sex": ["M", "F", "M", "F"], "n": [10, 12, 8, 9]}),
                           "age", "sex", "n", title="Pyramid"),
    lambda: charts.ranking(practices(), "practice", "seen", highlight="F81003"),
    lambda: charts.spc_chart(spc.xmr(pd.Series(range(24), index=MONTHS), target=5), "SPC"),
])
def test_helpers_render_to_svg_offline(make):
    svg = charts.to_svg(make())
    assert svg.startswith("<svg") and marks(svg) > 5
    assert "http://" not in svg.replace("http://www.w3.org", "")
    assert "https://" not in svg


def test_to_html_static_and_interactive_need_no_network(tmp_path):
    chart = charts.bar(practices(), "practice", "seen")
    page = charts.to_html(chart, title="<b>Seen</b>")
    assert "<svg" in page and "&lt;b&gt;Seen" in page and "<script" not in page
    page = charts.to_html(chart, interactive=True)
    assert "<script" in page and not re.search(r"<script[^>]+src=", page)
    assert "cdn.jsdelivr" not in page
    for suffix in (".svg", ".png", ".html"):
        out = charts.save(chart, tmp_path / f"c{suffix}")
        assert out.stat().st_size > 1000
    with pytest.raises(charts.ChartError, match="use .svg"):
        charts.save(chart, tmp_path / "c.pdfx")


def test_funnel_limits_worked_by_hand():
    pts, limits = funnel.funnel_data(practices(), "practice", "seen", "registered")
    # overall p = 311 / 500 = 0.622. At n = 50: se = sqrt(.622 * .378 / 50) = 0.06857;
    # 99.8% limits 0.622 +- 3.0902 * 0.06857 = 0.4101 / 0.8339; 95% upper 0.622 + 0.1344 = 0.7564.
    # At n = 100: se = 0.04849; 95% 0.5270 / 0.7170; 99.8% 0.4722 / 0.7718.
    # At n = 200: se = 0.03429; 95% upper 0.6892; 99.8% upper 0.7280.
    assert pts["overall"].iloc[0] == pytest.approx(0.622)
    p = pts.set_index("practice")
    assert p.loc["F81004", "proportion"] == 0.2 and p.loc["F81004", "position"] == "low (99.8%)"
    assert p.loc["F81005", "proportion"] == 0.9 and p.loc["F81005", "position"] == "high (99.8%)"
    assert p.loc["F81001", "position"] == "high (95%)"      # 0.76: above 0.7170, below 0.7718
    assert p.loc["F81003", "position"] == "high (95%)"      # 0.70: above 0.6892, below 0.7280
    assert p.loc["F81002", "position"] == "low (99.8%)"     # 0.40: below 0.4722
    row = limits.loc[limits["denominator"] == 50].iloc[0]
    assert row["lower_998"] == pytest.approx(0.4101, abs=1e-4)
    assert row["upper_95"] == pytest.approx(0.7564, abs=1e-4)


@pytest.mark.parametrize("df, message", [
    (pd.DataFrame({"practice": ["A"], "seen": [5]}), "not in the table"),
    (pd.DataFrame({"practice": ["A"], "seen": [0], "registered": [0]}), "positive denominator"),
    (pd.DataFrame({"practice": ["A"], "seen": [-1], "registered": [4]}), "negative"),
    (pd.DataFrame({"practice": ["A"], "seen": [5], "registered": [4]}), "larger than"),
])
def test_funnel_bad_input(df, message):
    with pytest.raises(funnel.FunnelError, match=message):
        funnel.funnel_data(df, "practice", "seen", "registered")


def test_bad_chart_input():
    with pytest.raises(charts.ChartError, match="expected an altair chart"):
        charts.to_svg("<svg onload=alert(1)>")
    with pytest.raises(ValueError, match="not in the table"):
        charts.bar(practices(), "pcn", "seen")
    with pytest.raises(ValueError, match="stack must be"):
        charts.bar(practices(), "practice", "seen", stack="sideways")
    with pytest.raises(ValueError, match="xmr"):
        charts.spc_chart(practices())


def test_enable_offline_output_is_valid_notebook_output():
    from IPython.core.formatters import DisplayFormatter
    assert charts.enable_offline() == "svg"
    bundle, _ = DisplayFormatter().format(charts.bar(practices(), "practice", "seen"))
    assert "image/svg+xml" in bundle and "<svg" in bundle["image/svg+xml"]
    assert not any(k.startswith("application/vnd.vegalite") for k in bundle)
    output = nbformat.v4.new_output("display_data", data=bundle)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("chart", outputs=[output])])
    nbformat.validate(nb)
    alt.renderers.enable("default")


def test_icons_follow_the_result():
    r = spc.xmr(pd.Series([10, 12, 11, 13, 14] * 3), target=5)
    page = charts.icons_html(r)
    assert page.count("<svg") == 2
    assert "agora-spc-common_cause" in page and "agora-spc-pass" in page
    assert spc.ASSURANCE_ICONS["pass"].label in page
    assert charts.icons_html(spc.xmr([10, 12, 11])).count("<svg") == 1   # no target, no assurance


def test_show_displays_inline_svg(capsys):
    charts.show(charts.bar(practices(), "practice", "seen"))
    assert "SVG" in capsys.readouterr().out        # outside a kernel IPython prints the repr
    with pytest.raises(charts.ChartError):
        charts.show(42)
