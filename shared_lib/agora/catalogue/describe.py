"""`describe(name)`: a catalogue entry for notebooks (HTML in Jupyter, rich in a terminal)."""
from __future__ import annotations

import difflib
import html

from .entries import KINDS, Entry, all_entries


class Description:
    """A catalogue entry, shown as a table description in Jupyter and as text elsewhere.
    `.frame` holds the detail rows (columns, codes, parameters) as a DataFrame."""

    def __init__(self, entry: Entry):
        self.entry = entry

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def frame(self):
        return self.entry.rows

    def __str__(self) -> str:
        e = self.entry
        lines = [f"{e.name} ({e.kind})", e.summary]
        lines += [f"  {label}: {value}" for label, value in e.facts]
        if e.rows is not None and len(e.rows):
            lines += ["", e.rows.to_string(index=False)]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        e = self.entry
        esc = html.escape
        facts = "".join(f"<tr><th>{esc(label)}</th><td>{esc(value)}</td></tr>"
                        for label, value in e.facts)
        rows = ""
        if e.rows is not None and len(e.rows):
            rows = e.rows.to_html(index=False, escape=True, border=0, classes="agora-rows")
        return (f'<div class="agora-catalogue"><h3>{esc(e.name)} <small>({esc(e.kind)})</small>'
                f"</h3><p>{esc(e.summary)}</p><table>{facts}</table>{rows}</div>")

    def __rich_console__(self, console, options):
        from rich.table import Table
        e = self.entry
        yield f"[bold]{e.name}[/] ({e.kind})"
        yield e.summary
        facts = Table(show_header=False, box=None)
        for label, value in e.facts:
            facts.add_row(f"[dim]{label}[/]", value)
        yield facts
        if e.rows is not None and len(e.rows):
            table = Table(*map(str, e.rows.columns))
            for row in e.rows.astype(str).itertuples(index=False):
                table.add_row(*row)
            yield table


def _column(entries: list[Entry], table: str, column: str) -> Entry | None:
    """One column of a table as an entry of its own ("ae_attendance.arrival_at")."""
    for e in entries:
        if e.kind == "table" and e.name == table:
            rows = e.rows[e.rows["column"] == column]
            if rows.empty:
                return None
            row = rows.iloc[0]
            facts = [("table", table)] + [(label, str(row[label])) for label in rows.columns
                                          if label not in ("column", "description") and row[label]]
            return Entry("column", f"{table}.{column}", str(row["description"]), facts,
                         related=[("table", table)])
    return None


def describe(name: str, kind: str | None = None) -> Description:
    """Describe a table, metric, population health measure, codelist or feed by name, such as
    `describe("ae_attendance")`, or one column: `describe("ae_attendance.arrival_at")`; `kind`
    picks one when a name is used by several."""
    if not isinstance(name, str) or not name or len(name) > 200:
        raise KeyError("describe() takes the name of a table, metric, measure, codelist or feed")
    if kind is not None and kind not in KINDS:
        raise KeyError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    entries = all_entries()
    if "." in name and kind in (None, "table"):
        column = _column(entries, *name.split(".", 1))
        if column is not None:
            return Description(column)
    found = [e for e in entries if e.name == name and kind in (None, e.kind)]
    if not found:
        close = difflib.get_close_matches(name, sorted({e.name for e in entries}), n=5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"nothing called {name!r} in the catalogue{hint}")
    return Description(sorted(found, key=lambda e: KINDS.index(e.kind))[0])
