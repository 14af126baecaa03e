"""The SDC gate: scan an executed notebook's output tables for unsuppressed counts of 1-7.

Tables shown with `agora.reports.render.table` carry their cells and count columns in the
output's metadata and are checked exactly; any other HTML table (a bare `display(df)`) and chart
data are parsed and checked with the count columns inferred (`agora.sdc.check`). Printed text is
not parsed: templates show figures through tables and charts.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from html.parser import HTMLParser

import pandas as pd

from agora import sdc
from agora.reports.errors import DisclosureBlocked

META_KEY = "agora"          # output metadata key written by agora.reports.render
VEGA_PREFIX = "application/vnd.vegalite"


@dataclass(frozen=True)
class Violation:
    cell: int
    column: str
    value: float
    where: str               # table, html table, chart

    def __str__(self) -> str:
        return f"cell {self.cell}: {self.where} column {self.column!r} shows {self.value:g}"


class _Tables(HTMLParser):
    """Minimal HTML table reader: header from <thead> (or the first row), body <td> cells;
    <th> cells in body rows are row labels, not data."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[pd.DataFrame] = []
        self._stack: list[dict] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append({"head": [], "rows": [], "row": None, "in_head": False})
        elif not self._stack:
            return
        elif tag == "thead":
            self._stack[-1]["in_head"] = True
        elif tag == "tr":
            self._stack[-1]["row"] = []
        elif tag in ("td", "th"):
            self._cell = [tag]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if not self._stack:
            return
        t = self._stack[-1]
        if tag in ("td", "th") and self._cell is not None and t["row"] is not None:
            t["row"].append((self._cell[0], "".join(self._cell[1:]).strip()))
            self._cell = None
        elif tag == "tr" and t["row"] is not None:
            (t["head"] if t["in_head"] or (not t["head"] and not t["rows"]
                                           and all(k == "th" for k, _ in t["row"]))
             else t["rows"]).append(t["row"])
            t["row"] = None
        elif tag == "thead":
            t["in_head"] = False
        elif tag == "table":
            self._stack.pop()
            self.tables.append(_frame(t["head"], t["rows"]))


def _frame(head: list, rows: list) -> pd.DataFrame:
    data = [[v.replace(",", "") for k, v in row if k == "td"] for row in rows]
    width = max((len(r) for r in data), default=0)
    header = [v for _, v in head[-1]] if head else []
    header = header[-width:] if width else []
    names = [h if h else f"column_{i}" for i, h in enumerate(header)]
    names += [f"column_{i}" for i in range(len(names), width)]
    return pd.DataFrame([r + [None] * (width - len(r)) for r in data], columns=names[:width],
                        dtype="object")


def html_tables(html: str) -> list[pd.DataFrame]:
    parser = _Tables()
    parser.feed(html)
    parser.close()
    return parser.tables


def _check(df: pd.DataFrame, counts, cell: int, where: str) -> list[Violation]:
    found = sdc.check(df, counts=counts)
    return [Violation(cell, str(r.column), float(r.value), where) for r in found.itertuples()]


def scan(nb) -> list[Violation]:
    """Every unsuppressed count of 1-7 in the notebook's outputs."""
    out: list[Violation] = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") not in ("display_data", "execute_result"):
                continue
            data = output.get("data", {})
            meta = (output.get("metadata") or {}).get(META_KEY) or {}
            for kind in ("table", "chart"):
                if kind in meta:
                    t = meta[kind]
                    df = pd.DataFrame(t.get("data", []), columns=t.get("columns"))
                    counts = [c for c in t.get("counts", []) if c in df.columns] \
                        if t.get("counts") is not None else None
                    out += _check(df, counts, index, kind)
            if "table" in meta:
                continue
            html = data.get("text/html", "")
            if isinstance(html, list):
                html = "".join(html)
            if "<table" in html:
                for df in html_tables(html):
                    out += _check(df, None, index, "html table")
            for mime, spec in data.items():
                if mime.startswith(VEGA_PREFIX):
                    spec = json.loads(spec) if isinstance(spec, str) else spec
                    for values in _vega_datasets(spec):
                        out += _check(pd.DataFrame(values), None, index, "chart")
    return out


def _vega_datasets(spec: dict) -> list[list]:
    found = list((spec.get("datasets") or {}).values())
    inline = (spec.get("data") or {}).get("values")
    if isinstance(inline, list):
        found.append(inline)
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for sub in spec.get(key, []) or []:
            found += _vega_datasets(sub)
    return [v for v in found if isinstance(v, list) and v and isinstance(v[0], dict)]


def enforce(nb) -> None:
    """Raise DisclosureBlocked (naming the first cell) if any output shows a count of 1-7."""
    found = scan(nb)
    if found:
        shown = "; ".join(str(v) for v in found[:5])
        more = f" (and {len(found) - 5} more)" if len(found) > 5 else ""
        raise DisclosureBlocked(f"SDC gate: {len(found)} unsuppressed count(s) of 1-"
                                f"{sdc.SUPPRESSION_THRESHOLD}: {shown}{more}",
                                cell=found[0].cell, error=f"{shown}{more}")
