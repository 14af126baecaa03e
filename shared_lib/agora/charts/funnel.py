"""Funnel plot computation for comparing units (practices, PCNs) on a proportion.

Control limits around the overall proportion p for a unit with denominator n are
p +- z * sqrt(p (1 - p) / n), the normal approximation to the binomial (Spiegelhalter,
"Funnel plots for comparing institutional performance", Statistics in Medicine 2005), with
z = 1.96 (95%) and 3.09 (99.8%). Pure computation: `agora.charts.funnel_plot` draws it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

Z95, Z998 = 1.959964, 3.090232


class FunnelError(ValueError):
    """Input a funnel plot cannot be computed from."""


def funnel_data(df: pd.DataFrame, unit: str, numerator: str, denominator: str
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(points, limits): points per unit with proportion and outlier flags, and limit curves over
    the range of denominators. Units with a zero or missing denominator are left out."""
    for col in (unit, numerator, denominator):
        if col not in df.columns:
            raise FunnelError(f"column {col!r} not in the table; it has {list(df.columns)}")
    num = pd.to_numeric(df[numerator], errors="coerce")
    den = pd.to_numeric(df[denominator], errors="coerce")
    if ((num < 0) | (den < 0)).any():
        raise FunnelError("numerators and denominators must not be negative")
    if (num > den).any():
        raise FunnelError("a numerator is larger than its denominator")
    keep = den.gt(0) & num.notna()
    if not keep.any():
        raise FunnelError("no unit has a positive denominator")
    pts = pd.DataFrame({unit: df.loc[keep, unit], "numerator": num[keep],
                        "denominator": den[keep]})
    p = pts["numerator"].sum() / pts["denominator"].sum()
    pts["proportion"] = pts["numerator"] / pts["denominator"]
    se = np.sqrt(p * (1 - p) / pts["denominator"])
    pts["overall"] = p
    pts["outside_95"] = (pts["proportion"] - p).abs() > Z95 * se
    pts["outside_998"] = (pts["proportion"] - p).abs() > Z998 * se
    pts["position"] = np.select(
        [pts["outside_998"] & (pts["proportion"] > p), pts["outside_998"],
         pts["outside_95"] & (pts["proportion"] > p), pts["outside_95"]],
        ["high (99.8%)", "low (99.8%)", "high (95%)", "low (95%)"], default="within limits")
    n = np.unique(np.geomspace(max(1.0, pts["denominator"].min() * 0.8),
                               pts["denominator"].max() * 1.1, 80).round())
    se_n = np.sqrt(p * (1 - p) / n)
    limits = pd.DataFrame({
        "denominator": n, "overall": p,
        "lower_95": np.clip(p - Z95 * se_n, 0, 1), "upper_95": np.clip(p + Z95 * se_n, 0, 1),
        "lower_998": np.clip(p - Z998 * se_n, 0, 1), "upper_998": np.clip(p + Z998 * se_n, 0, 1),
    })
    return pts.reset_index(drop=True), limits
