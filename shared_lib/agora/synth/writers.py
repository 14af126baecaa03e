"""Turn a model-shaped frame into a provider's file: rename to provider columns, format dates,
map codes back to the provider's conventions, add the direct identifiers and local IDs the
provider holds, and write CSV / JSON lines / Parquet exactly as the Feed declares.

Input frames carry model columns (typed), `_person` (row in Population.people, -1 = unknown),
optional `_nhs_known` (False = provider does not know the NHS number) and any provider-only
columns (e.g. DIAG_02) already named as the provider names them. Everything is done on Arrow
arrays, column at a time.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .. import model
from ..feeds import Feed
from .population import Population

ISO_TS = "%Y-%m-%dT%H:%M:%S"
DATE_TYPES = ("DATE", "TIMESTAMP")
# Local identifier namespace of each provider (see identity.LOCAL_ID_STYLES)
NAMESPACE = {"raj": "pas", "gpa": "guid", "gpb": "gpb", "r1l": "r1l", "ecc": "ecc", "sos": "sos",
             "thurrock": "thurrock"}
CRLF_FEEDS = ("sos_asc",)            # written with Windows line ends


@dataclass(frozen=True)
class FileContext:
    feed: Feed
    month: str                       # YYYY-MM of the file
    extracted: pd.Timestamp          # when the provider extracted it (version of its rows)
    rng: np.random.Generator

    @property
    def file_name(self) -> str:
        return f"{self.feed.name}_{self.month}.{self.feed.ext}"


def model_columns(feed: Feed) -> dict[str, model.Column]:
    """Model column definitions for every model-named value the feed carries (unpivoted
    provider columns are keyed by their provider name)."""
    table = model.table(feed.table)
    cols = {c: table.column(c) for c in feed.columns}
    person = model.table("person")
    cols.update({c: person.column(c) for c in feed.person})
    for u in feed.unpivot:
        child = model.table(u.table)
        cols.update({p: child.column(u.value) for p in u.columns if p not in feed.columns.values()})
        for mc, provs in u.parallel.items():
            cols.update({p: child.column(mc) for p in provs})
    return cols


def native_dates(feed: Feed, col: model.Column, key: str) -> bool:
    """Parquet feeds keep date columns native when they declare no format for them."""
    return feed.format == "parquet" and col.type in DATE_TYPES and key not in feed.date_formats


def _timestamps(values) -> pa.Array:
    return pa.array(np.asarray(values).astype("datetime64[s]"), type=pa.timestamp("s"))


_ISO_SLICES = {"%Y": (0, 4), "%m": (5, 7), "%d": (8, 10), "%H": (11, 13), "%M": (14, 16),
               "%S": (17, 19)}


def text_dates(values, fmt: str) -> pa.Array:
    """Timestamps as text in a strftime format using %Y %m %d %H %M %S and literals (sliced
    from the ISO text: faster than strftime)."""
    iso = _timestamps(values).cast(pa.string())
    parts: list = []
    for token in re.split(r"(%[YmdHMS])", fmt):
        if token in _ISO_SLICES:
            parts.append(pc.utf8_slice_codeunits(iso, *_ISO_SLICES[token]))
        elif "%" in token:
            raise ValueError(f"unsupported date format directive in {fmt!r}")
        elif token:
            parts.append(token)
    if len(parts) == 1:
        return parts[0] if isinstance(parts[0], pa.Array) else pc.if_else(
            iso.is_valid(), parts[0], pa.scalar(None, pa.string()))
    return pc.binary_join_element_wise(*parts, "")


def text_values(values: pd.Series, col: model.Column) -> pa.Array:
    if col.type == "BOOLEAN":
        arr = pa.array(values.astype("boolean"), type=pa.bool_())
        return pc.if_else(arr, "true", "false")
    if col.type in ("INTEGER", "BIGINT"):
        return pa.array(values.astype("Int64"), type=pa.int64()).cast(pa.string())
    if col.type == "DOUBLE":
        return pa.array(values.astype("Float64").round(2), type=pa.float64()).cast(pa.string())
    return pa.array(values, type=pa.string(), from_pandas=True)


def provider_codes(text: pa.Array, vmap: dict[str, str], rng: np.random.Generator) -> pa.Array:
    """Model values back to provider codes; where several codes mean the same, pick one."""
    inverse: dict[str, list[str]] = {}
    for code, meaning in vmap.items():
        inverse.setdefault(meaning, []).append(code)
    codes, uniques = pd.factorize(text.to_pandas(), use_na_sentinel=True)
    missing = [u for u in uniques if u not in inverse]
    if missing:
        raise ValueError(f"no provider code for model value(s) {missing}")
    width = max(len(v) for v in inverse.values())
    table = np.array([inverse[u] + [None] * (width - len(inverse[u])) for u in uniques] or
                     [[None] * width], dtype=object)
    counts = np.array([len(inverse[u]) for u in uniques] or [1])
    safe = np.where(codes >= 0, codes, 0)
    pick = (rng.random(codes.size) * counts[safe]).astype(int)
    out = table[safe, pick]
    out[codes < 0] = None
    return pa.array(out, type=pa.string())


def format_value(feed: Feed, key: str, col: model.Column, values, rng: np.random.Generator
                 ) -> pa.Array:
    """One model-valued column as the provider writes it."""
    if native_dates(feed, col, key):
        ts = _timestamps(values)
        return ts.cast(pa.date32()) if col.type == "DATE" else ts
    if col.type in DATE_TYPES:
        return text_dates(values, feed.date_formats.get(key, "%Y-%m-%d"))
    text = text_values(pd.Series(values), col)
    if key in feed.value_maps:
        return provider_codes(text, feed.value_maps[key], rng)
    return text


def _person_text(pop: Population, name: str) -> pa.Array:
    """Per-person text columns as Arrow arrays, built once per population."""
    if name not in pop.cache:
        p = pop.people
        if name == "nhs":
            nhs = p["nhs_number"].to_numpy()
            arr = pa.array(nhs.astype(str), type=pa.string())
            pop.cache[name] = pc.if_else(pa.array(nhs > 0), arr, pa.scalar(None, pa.string()))
        elif name == "fullname":
            pop.cache[name] = pc.binary_join_element_wise(
                _person_text(pop, "forename"), _person_text(pop, "surname"), " ")
        elif name.startswith("dob:"):
            pop.cache[name] = text_dates(p["dob"].to_numpy(), name[4:])
        else:
            pop.cache[name] = pa.array(p[name].astype(str).to_numpy(dtype=object), type=pa.string())
    return pop.cache[name]


def _identity(feed: Feed, df: pd.DataFrame, pop: Population, out: dict[str, pa.Array]) -> None:
    person = df["_person"].to_numpy()
    known = person >= 0
    idx = pa.array(np.where(known, person, 0))
    id_known = known & (df["_nhs_known"].to_numpy(dtype=bool) if "_nhs_known" in df else True)
    mask_known, mask_id = pa.array(known), pa.array(id_known)
    null = pa.scalar(None, pa.string())

    def take(name: str, mask: pa.Array = mask_known) -> pa.Array:
        return pc.if_else(mask, _person_text(pop, name).take(idx), null)

    if feed.nhs_number:
        out[feed.nhs_number] = take("nhs", mask_id)
    if feed.local_id and feed.local_id not in out:
        out[feed.local_id] = take(f"id_{NAMESPACE[feed.name.split('_')[0]]}")
    if feed.date_of_birth:
        fmt = feed.date_formats.get("date_of_birth", "%Y-%m-%d")
        out[feed.date_of_birth] = take(f"dob:{fmt}", mask_id)
    if feed.postcode:
        out[feed.postcode] = take("postcode")
    for col in feed.drop:
        low = col.lower()
        if "address" in low or "house" in low:
            source = "address"
        elif "fore" in low or "first" in low:
            source = "forename"
        elif "sur" in low or "last" in low:
            source = "surname"
        elif "name" in low:
            source = "fullname"
        elif "phone" in low or "mobile" in low:
            source = "phone"
        else:
            raise ValueError(f"{feed.name}: no synthetic source for direct identifier {col!r}")
        out[col] = take(source, mask_id)


def provider_frame(feed: Feed, df: pd.DataFrame, pop: Population, ctx: FileContext,
                   first_serial: int = 0) -> pa.Table:
    """The rows as the provider writes them (provider column names, provider values)."""
    df = df.reset_index(drop=True)
    n = len(df)
    cols = model_columns(feed)
    out: dict[str, pa.Array] = {}
    for m, prov in {**feed.columns, **feed.person}.items():
        out[prov] = format_value(feed, m, cols[m], df[m], ctx.rng)
    for u in feed.unpivot:
        for prov in u.columns:
            if prov not in out:
                out[prov] = format_value(feed, u.value, cols[prov], df[prov], ctx.rng)
        for mc, provs in u.parallel.items():
            for prov in provs:
                out[prov] = format_value(feed, mc, cols[prov], df[prov], ctx.rng)
    for prov in feed.record_key:         # provider-only record identifiers
        if prov not in out and prov not in (feed.local_id, feed.nhs_number):
            serial = pa.array(first_serial + np.arange(n)).cast(pa.string())
            out[prov] = pc.binary_join_element_wise(
                ctx.month.replace("-", ""), pc.utf8_lpad(serial, 9, "0"), "")
    if feed.version:
        out[feed.version] = pa.array(np.full(n, ctx.extracted.strftime(ISO_TS), dtype=object),
                                     type=pa.string())
    _identity(feed, df, pop, out)
    return pa.table({c: out[c] for c in feed.provider_columns})


def write(feed: Feed, table: pa.Table, path: Path) -> None:
    """Write the provider table in the feed's format and text conventions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if feed.format == "parquet":
        pq.write_table(table, path, compression="snappy")
        return
    if feed.format == "jsonl":
        path.write_bytes(json_lines(table).encode(feed.read_options.get("encoding", "utf-8")))
        return
    opts = feed.read_options
    nulls = opts.get("null_values") or [""]
    if nulls[0]:
        table = pa.table({c: pc.fill_null(table[c], nulls[0]) for c in table.column_names})
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(
        include_header=opts.get("header", True), delimiter=opts.get("delimiter", ","),
        quoting_style="needed"))
    data = sink.getvalue().to_pybytes()
    encoding = opts.get("encoding", "utf-8")
    if encoding.lower() not in ("utf-8", "utf8"):
        data = data.decode("utf-8").encode(encoding)
    if feed.name in CRLF_FEEDS:
        data = data.replace(b"\n", b"\r\n")
    path.write_bytes(data)


def _json_text(arr: pa.Array) -> pa.Array:
    """JSON string literals (or null) for a text column."""
    text = arr.cast(pa.string())
    for raw, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"),
                         ("\t", "\\t")):
        text = pc.replace_substring(text, raw, escaped)
    quoted = pc.binary_join_element_wise('"', text, '"', "")
    return pc.fill_null(quoted, "null")


def json_lines(table: pa.Table) -> str:
    """The table as JSON lines, one object per row, keys in column order, text values."""
    if table.num_rows == 0:
        return ""
    parts = []
    for i, name in enumerate(table.column_names):
        key = json.dumps(name, ensure_ascii=False)
        prefix = ("{" if i == 0 else ",") + key + ":"
        parts.append(pc.binary_join_element_wise(prefix, _json_text(table[name].combine_chunks()),
                                                 ""))
    rows = pc.binary_join_element_wise(*parts, "}", "")
    return "\n".join(rows.to_numpy(zero_copy_only=False)) + "\n"
