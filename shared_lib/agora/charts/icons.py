"""The Making Data Count variation and assurance icons, drawn as small inline SVG badges for
reports and dashboards (the logic that picks them is in `agora.charts.spc`)."""
from __future__ import annotations

import html

import pandas as pd

from agora.charts import spc


def icon_svg(icon: spc.Icon, size: int = 44) -> str:
    """One icon: a ring in the icon's colour with its letter (H, L, P, F, ?) and a tooltip."""
    r = size / 2
    letter = html.escape(icon.letter)
    label = html.escape(icon.label)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
            f'viewBox="0 0 {size} {size}" role="img" aria-label="{label}" '
            f'class="agora-spc-icon agora-spc-{icon.key}"><title>{label}</title>'
            f'<circle cx="{r}" cy="{r}" r="{r - 3}" fill="white" stroke="{icon.colour}" '
            f'stroke-width="4"/>'
            + (f'<text x="{r}" y="{r}" dy="0.35em" text-anchor="middle" font-family="Arial, '
               f'sans-serif" font-weight="bold" font-size="{size * 0.45:.0f}" '
               f'fill="{icon.colour}">{letter}</text>' if letter else
               f'<line x1="{size * 0.25}" y1="{r}" x2="{size * 0.75}" y2="{r}" '
               f'stroke="{icon.colour}" stroke-width="3"/>')
            + "</svg>")


def icons_html(result: pd.DataFrame, size: int = 44) -> str:
    """The variation icon and, with a target, the assurance icon of an `spc.xmr` result."""
    parts = [icon_svg(spc.VARIATION_ICONS[spc.variation(result)], size)]
    a = spc.assurance(result)
    if a:
        parts.append(icon_svg(spc.ASSURANCE_ICONS[a], size))
    return '<span class="agora-spc-icons">' + "".join(parts) + "</span>"
