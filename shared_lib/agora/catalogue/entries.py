"""Catalogue entries, generated from the single definitions: agora.model (tables and columns),
agora.feeds (source feeds and owners), agora.metrics.METRICS, agora.codelists and the population
health definitions (agora.phm.definitions). Nothing here is written by hand twice."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from agora import feeds as feed_defs
from agora import model

KINDS = ("table", "metric", "measure", "codelist", "feed")
KIND_TITLES = {"table": "Tables", "metric": "Metrics", "measure": "Population health measures",
               "codelist": "Codelists", "feed": "Feeds"}
DERIVED_MEASURES = ("efi", "cms", "ltc", "flag", "segment", "risk_model", "risk_tier",
                    "ageing_well")
TABLE_ORIGIN = {
    "reference": "Reference data loaded from the synthetic reference files (reference/*.csv).",
    "derived": "Derived by agora.phm, rebuilt in every snapshot before it is published.",
    "operational": "Written by the store itself: ingestion (agora.ingest) and data quality.",
}


@dataclass
class Entry:
    """One thing in the catalogue: a table, metric, measure, codelist or feed."""
    kind: str
    name: str
    summary: str
    facts: list[tuple[str, str]] = field(default_factory=list)   # (label, value)
    rows: pd.DataFrame | None = None                             # detail: columns, codes ...
    related: list[tuple[str, str]] = field(default_factory=list)  # (kind, name)

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.name}"

    def search_text(self) -> str:
        parts = [self.kind, self.name, self.summary] + [v for _, v in self.facts]
        if self.rows is not None:
            parts += self.rows.astype(str).to_numpy().ravel().tolist()
        return " ".join(parts).lower()


def org_names() -> dict[str, str]:
    """Organisation names by code, from the synthetic partnership's definitions when present."""
    try:
        from agora.synth import constants as c
    except ImportError:
        return {}
    pairs = [getattr(c, n, None) for n in ("ICB", "TRUST", "AMBULANCE", "COMMUNITY_MH")]
    pairs += list(getattr(c, "COUNCILS", ()))
    return {p[0]: p[1] for p in pairs if p}


def _org(code: str, names: dict[str, str]) -> str:
    return f"{names[code]} ({code})" if code in names else code


def _constraints(col: model.Column) -> str:
    out = []
    if col.required:
        out.append("required")
    if col.allowed:
        out.append("one of " + ", ".join(map(str, col.allowed)))
    if col.min is not None:
        out.append(f">= {col.min:g}")
    if col.max is not None:
        out.append(f"<= {col.max:g}")
    if col.pattern:
        out.append(f"matches {col.pattern}")
    return "; ".join(out)


def feed_sources(table_name: str) -> dict[str, dict[str, str]]:
    """For a table: feed name -> {model column: provider column(s)}."""
    out: dict[str, dict[str, str]] = {}
    for f in feed_defs.FEEDS:
        mapping: dict[str, str] = {}
        if f.table == table_name:
            mapping.update(f.columns)
            identity = " / ".join(x for x in (f.nhs_number, f.local_id) if x)
            if identity and any(c.name == "person_id" for c in model.table(table_name).columns):
                mapping["person_id"] = f"{identity} (pseudonymised at ingestion)"
                mapping["id_from_local"] = f"{identity} (no valid NHS number)"
        if table_name == "person" and getattr(f, "person", None):
            mapping.update(f.person)
            if f.postcode:
                mapping["lsoa_code"] = f"{f.postcode} (postcode reduced to LSOA)"
            if f.date_of_birth:
                mapping["birth_month"] = f"{f.date_of_birth} (reduced to month)"
        for u in getattr(f, "unpivot", ()):
            if u.table == table_name:
                mapping[u.value] = ", ".join(u.columns)
                mapping.update({k: v for k, v in u.key.items()})
                mapping.update({k: ", ".join(v) for k, v in u.parallel.items()})
        if mapping:
            out[f.name] = mapping
    return out


_FROM_JOIN = re.compile(r"\b(?:from|join)\s+\"?([a-z_][a-z0-9_]*)\"?", re.IGNORECASE)


def _metric_tables(sql_stem: str) -> list[str]:
    from agora import metrics
    path = Path(metrics.__file__).parent / "sql" / f"{sql_stem}.sql"
    if not path.is_file():
        return []
    text = re.sub(r"--[^\n]*", "", path.read_text())
    return sorted({m.lower() for m in _FROM_JOIN.findall(text)} & set(model.BY_NAME))


def _metrics() -> dict:
    try:
        from agora.metrics import METRICS
    except ImportError:
        return {}
    return dict(METRICS)


def table_entries(names: dict[str, str]) -> list[Entry]:
    metric_tables = {m: _metric_tables(getattr(d, "sql", m)) for m, d in _metrics().items()}
    entries = []
    for t in model.TABLES:
        sources = feed_sources(t.name)
        rows = []
        for c in t.all_columns:
            src = "; ".join(f"{feed}.{mapping[c.name]}" for feed, mapping in sources.items()
                            if c.name in mapping)
            rows.append((c.name, c.type, c.description, _constraints(c), src))
        owners = sorted({_org(feed_defs.feed(f).org_code, names) for f in sources})
        used_by = sorted(m for m, tables in metric_tables.items() if t.name in tables)
        facts = [("kind", t.kind)]
        if t.primary_key:
            facts.append(("primary key", ", ".join(t.primary_key)))
        facts.append(("source feeds", ", ".join(sources) or TABLE_ORIGIN.get(t.kind, "none")))
        if owners:
            facts.append(("owner organisations", "; ".join(owners)))
        if used_by:
            facts.append(("used by metrics", ", ".join(used_by)))
        columns = pd.DataFrame(rows, columns=["column", "type", "description", "constraints",
                                              "source (feed.provider column)"])
        if not sources:
            columns = columns.drop(columns="source (feed.provider column)")
        entries.append(Entry(
            "table", t.name, t.description, facts, columns,
            [("feed", f) for f in sources] + [("metric", m) for m in used_by]
            + ([("measure", m) for m in DERIVED_MEASURES] if t.kind == "derived" else [])))
    return entries


def metric_entries() -> list[Entry]:
    entries = []
    feeds_of = {t.name: list(feed_sources(t.name)) for t in model.TABLES}
    for name, m in _metrics().items():
        tables = _metric_tables(getattr(m, "sql", name))
        feeds = sorted({f for t in tables for f in feeds_of.get(t, [])})
        target = getattr(m, "target", None)
        facts = [("unit", str(getattr(m, "unit", ""))),
                 ("better when", f"{getattr(m, 'direction', '')}"),
                 ("target", "none" if target is None else f"{target:g}"),
                 ("definition source", str(getattr(m, "source", ""))),
                 ("SQL", f"agora/metrics/sql/{getattr(m, 'sql', name)}.sql"),
                 ("tables read", ", ".join(tables)),
                 ("source feeds", ", ".join(feeds))]
        if getattr(m, "target_note", ""):
            facts.append(("target note", m.target_note))
        params = getattr(m, "parameters", {})
        rows = pd.DataFrame(list(params.items()), columns=["parameter", "meaning"])
        entries.append(Entry("metric", name, m.description, facts, rows,
                             [("table", t) for t in tables]))
    return entries


def codelist_entries() -> list[Entry]:
    from agora import codelists
    from agora.phm import definitions as d
    users: dict[str, list[str]] = {}
    for r in d.RULES:
        for cl in r.codelists:
            users.setdefault(cl, []).append(f"{r.rule_set}: {r.name}")
    users.setdefault(d.POLYPHARMACY_CODELIST, []).append("efi: polypharmacy (distinct medicines)")
    entries = []
    for name in codelists.names():
        frame = codelists.load(name)
        described = frame["description"].iloc[0] if len(frame) else ""
        facts = [("version", ", ".join(sorted(frame["version"].unique()))),
                 ("code systems", ", ".join(sorted(frame["system"].unique()))),
                 ("codes", str(len(frame))),
                 ("file", f"agora/codelists/{name}.csv")]
        if name in users:
            facts.append(("used by", "; ".join(users[name])))
        entries.append(Entry("codelist", name, f"Codelist {name}: {described}" + (
            f" and {len(frame) - 1} more codes" if len(frame) > 1 else ""), facts,
            frame[["system", "code", "description"]].reset_index(drop=True),
            [("measure", u.split(":")[0]) for u in users.get(name, [])]))
    return entries


def feed_entries(names: dict[str, str]) -> list[Entry]:
    entries = []
    for f in feed_defs.FEEDS:
        rows = [(col, prov, f.date_formats.get(col, ""),
                 ", ".join(f"{k}={v}" for k, v in f.value_maps.get(col, {}).items()))
                for col, prov in list(f.columns.items()) + list(getattr(f, "person", {}).items())]
        tables = [f.table] + [u.table for u in getattr(f, "unpivot", ())]
        identifiers = [x for x in (f.nhs_number, f.local_id, f.postcode, f.date_of_birth) if x]
        facts = [("owner organisation", _org(f.org_code, names)),
                 ("tables", ", ".join(tables)),
                 ("format", f.format),
                 ("files", f.file_glob),
                 ("identifiers (pseudonymised or reduced at ingestion)", ", ".join(identifiers)),
                 ("dropped at ingestion", ", ".join(f.drop) or "none")]
        entries.append(Entry(
            "feed", f.name, f.description or f"Feed into {f.table}.", facts,
            pd.DataFrame(rows, columns=["model column", "provider column", "date format",
                                        "value map"]),
            [("table", t) for t in tables]))
    return entries


def measure_entries() -> list[Entry]:
    from agora.phm import definitions as d
    from agora.phm.risk import TERMS

    def rules(rs):
        return pd.DataFrame([(r.name, r.description, ", ".join(r.codelists),
                              "ever" if r.lookback_days is None else f"{r.lookback_days} days",
                              r.min_count, r.weight) for r in rs],
                            columns=["name", "description", "codelists", "lookback",
                                     "min records", "weight"])
    efi = rules(d.EFI_DEFICITS).drop(columns="weight")
    efi.loc[len(efi)] = ("polypharmacy", f"{d.EFI_POLYPHARMACY_DRUGS}+ distinct medicines "
                         "issued in the last 12 months", d.POLYPHARMACY_CODELIST,
                         f"{d.YEAR_DAYS} days", d.EFI_POLYPHARMACY_DRUGS)
    bands = ", ".join(f"{c} <= {u:g}" if u != float("inf") else f"{c} above" for c, u
                      in d.FRAILTY_BANDS)
    spec = "DATA_SPEC.md, Population health methods"
    related = lambda rs: [("codelist", cl) for r in rs for cl in r.codelists]  # noqa: E731
    return [
        Entry("measure", "efi", "Electronic Frailty Index: deficits present / "
              f"{d.EFI_DEFICIT_COUNT}, for people aged {d.EFI_MIN_AGE}+ (person_risk.efi, "
              "frailty).", [("categories", bands), ("source", f"{spec}; Clegg et al. 2016")],
              efi, related(d.EFI_DEFICITS)),
        Entry("measure", "cms", "Cambridge Multimorbidity Score: sum of the general outcome "
              "weights of the conditions present (person_risk.cms).",
              [("source", f"{spec}; Payne et al. 2020")], rules(d.CMS_CONDITIONS),
              related(d.CMS_CONDITIONS)),
        Entry("measure", "ltc", "Long-term conditions counted for segmentation "
              f"(person_risk.ltc_count; complex when {d.COMPLEX_LTC_COUNT}+).",
              [("source", spec)], rules(d.LTC_CONDITIONS), related(d.LTC_CONDITIONS)),
        Entry("measure", "flag", "Flags used by the segmentation and the Ageing Well cohort.",
              [("source", spec)], rules(d.FLAGS), related(d.FLAGS)),
        Entry("measure", "segment", "Bridges to Health segmentation: the first segment that "
              "matches, in this order (person_risk.segment).",
              [("source", f"{spec}; Lynn et al. 2007")],
              pd.DataFrame([(i + 1, s, text) for i, (s, text) in enumerate(d.SEGMENTS)],
                           columns=["order", "segment", "definition"])),
        Entry("measure", "risk_model", "Transparent logistic regression of an emergency admission "
              "in the next 12 months (person_risk.risk_score); `agora phm model` prints the "
              "fitted coefficients, AUC and calibration by decile.",
              [("source", spec), ("module", "agora.phm.risk")],
              pd.DataFrame(TERMS, columns=["predictor", "meaning"])),
        Entry("measure", "risk_tier", "Risk tiers by rank of the risk score "
              "(person_risk.risk_tier).",
              [("source", spec)],
              pd.DataFrame([(t, f"{u:.1%}", text) for t, u, text in d.RISK_TIERS],
                           columns=["tier", "up to rank fraction", "meaning"])),
        Entry("measure", "ageing_well", d.AGEING_WELL + " (person_risk.ageing_well; "
              "agora.phm.ageing_well()).", [("source", "CONTEXT.md (Ageing Well programme)")]),
    ]


@lru_cache(maxsize=1)
def _cached() -> tuple[Entry, ...]:
    names = org_names()
    return tuple(table_entries(names) + metric_entries() + measure_entries()
                 + codelist_entries() + feed_entries(names))


def all_entries(fresh: bool = False) -> list[Entry]:
    """Every catalogue entry, in KINDS order."""
    if fresh:
        _cached.cache_clear()
    return list(_cached())
