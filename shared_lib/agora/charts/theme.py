"""NHS identity colours and the Agora altair theme.

Colours are the NHS identity palette (NHS England, "NHS identity guidelines: colours"); the SPC
point colours are those of NHS England's "Making Data Count" charts.
"""
from __future__ import annotations

import altair as alt

NHS = {
    "blue": "#005EB8", "dark_blue": "#003087", "bright_blue": "#0072CE",
    "light_blue": "#41B6E6", "aqua_blue": "#00A9CE",
    "black": "#231F20", "dark_grey": "#425563", "mid_grey": "#768692", "pale_grey": "#E8EDEE",
    "dark_green": "#006747", "green": "#009639", "light_green": "#78BE20", "aqua_green": "#00A499",
    "purple": "#330072", "dark_pink": "#7C2855", "pink": "#AE2573", "dark_red": "#8A1538",
    "red": "#DA291C", "orange": "#ED8B00", "warm_yellow": "#FFB81C", "yellow": "#FAE100",
}

# Categorical order: strong, distinguishable NHS colours first.
CATEGORY = [NHS[k] for k in ("blue", "orange", "aqua_green", "pink", "dark_blue", "warm_yellow",
                             "purple", "light_green", "dark_red", "mid_grey")]
# Sequential (light to dark) for ordered measures such as deprivation deciles.
SEQUENTIAL = [NHS[k] for k in ("pale_grey", "light_blue", "bright_blue", "blue", "dark_blue")]

# Making Data Count point and line colours.
SPC = {
    "common_cause": "#A6A6A6",
    "special_cause_improvement": "#00B0F0",
    "special_cause_concern": "#E46C0A",
    "special_cause_neutral": "#490092",
    "mean": "#000000",
    "limit": "#A6A6A6",
    "target": "#DE1B1B",
}

FONT = "Arial, Helvetica, sans-serif"   # the NHS identity uses Frutiger, with Arial as fallback
THEME_NAME = "agora_nhs"


def config() -> dict:
    """The theme as a Vega-Lite config dictionary."""
    return {"config": {
        "font": FONT,
        "background": "white",
        "view": {"stroke": None, "continuousWidth": 560, "continuousHeight": 300},
        "title": {"anchor": "start", "color": NHS["black"], "fontSize": 16, "fontWeight": "bold",
                  "subtitleColor": NHS["dark_grey"]},
        "axis": {"labelColor": NHS["dark_grey"], "titleColor": NHS["dark_grey"],
                 "gridColor": NHS["pale_grey"], "domainColor": NHS["mid_grey"],
                 "tickColor": NHS["mid_grey"], "labelFontSize": 11, "titleFontSize": 12},
        "legend": {"labelColor": NHS["dark_grey"], "titleColor": NHS["dark_grey"]},
        "range": {"category": CATEGORY, "ordinal": SEQUENTIAL, "ramp": SEQUENTIAL},
        "mark": {"color": NHS["blue"]},
        "line": {"color": NHS["blue"], "strokeWidth": 2},
        "bar": {"color": NHS["blue"]},
        "point": {"color": NHS["blue"], "filled": True},
    }}


@alt.theme.register(THEME_NAME, enable=False)
def _theme() -> alt.theme.ThemeConfig:
    return config()


def enable() -> None:
    """Make the NHS theme altair's active theme."""
    alt.theme.enable(THEME_NAME)
