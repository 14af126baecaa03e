"""Render charts with no network: static SVG (vl-convert runs Vega in-process), or a standalone
HTML page with the Vega JavaScript inlined. Altair's default renderer loads Vega from a CDN, which
a partnership server cannot reach, so notebooks, reports and dashboards use these instead."""
from __future__ import annotations

import html
from pathlib import Path

import altair as alt
import vl_convert as vlc

from agora.charts import theme

# "svg": altair renders each chart to an image/svg+xml output with vl-convert. Static SVG is
# plain notebook output: it survives nbformat validation, nbconvert HTML export and Voila
# (the "mimetype" renderer's Vega-Lite JSON output did not).
OFFLINE_RENDERER = "svg"


class ChartError(ValueError):
    """Something that is not a chart, or a chart that cannot be rendered."""


def spec(chart) -> dict:
    """The Vega-Lite specification of an altair chart (or a spec dict), NHS theme applied."""
    if isinstance(chart, dict):
        return chart
    if not isinstance(chart, alt.TopLevelMixin):
        raise ChartError(f"expected an altair chart, got {type(chart).__name__}")
    with alt.theme.enable(theme.THEME_NAME):
        return chart.to_dict()


def to_svg(chart) -> str:
    """The chart as an SVG document string."""
    try:
        return vlc.vegalite_to_svg(spec(chart))
    except ValueError as exc:
        if isinstance(exc, ChartError):
            raise
        raise ChartError(f"chart could not be rendered: {exc}") from None


def to_png(chart, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes (for e-mail and documents)."""
    return vlc.vegalite_to_png(spec(chart), scale=scale)


def to_html(chart, interactive: bool = False, title: str = "Chart") -> str:
    """A standalone HTML page that needs no network: the static SVG inline, or with
    `interactive` the whole Vega runtime inlined (about 1 MB) so tooltips and zoom work."""
    if interactive:
        return vlc.vegalite_to_html(spec(chart), bundle=True)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title></head>\n<body>\n<figure class=\"agora-chart\">"
            f"{to_svg(chart)}</figure>\n</body></html>\n")


def save(chart, path: str | Path, interactive: bool = False) -> Path:
    """Write the chart to `path` by its suffix: .svg, .png or .html."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".svg":
        path.write_text(to_svg(chart), encoding="utf-8")
    elif suffix == ".png":
        path.write_bytes(to_png(chart))
    elif suffix in (".html", ".htm"):
        path.write_text(to_html(chart, interactive), encoding="utf-8")
    else:
        raise ChartError(f"cannot save a chart as {suffix or 'a file without a suffix'}; "
                         "use .svg, .png or .html")
    return path


def show(chart):
    """Display the chart in a notebook as inline SVG (no network needed)."""
    from IPython.display import SVG, display
    display(SVG(to_svg(chart)))


def enable_offline() -> str:
    """Make every altair chart in this kernel render offline (static SVG, NHS theme); returns the
    renderer name. Call once at the top of a report or dashboard notebook."""
    theme.enable()
    alt.renderers.enable(OFFLINE_RENDERER)
    return OFFLINE_RENDERER
