"""The synth -> ingest contract, checked file by file against an independent reading of the
Feed declarations: every file reads with its declared options, natural rows are valid, and the
rows a validator must quarantine, the NHS numbers it must tokenise, the duplicates and the
superseded versions are exactly what manifest.json and the truth files say."""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from agora import model
from agora.feeds import BY_NAME, FEEDS, feed_for_file
from agora.synth import generate
from agora.synth.identity import is_valid_nhs

SCALE = 0.003
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    manifest = generate(out, SCALE, 7, months=3, start="2025-10-01")
    return out, manifest


def read_text(path, feed) -> pd.DataFrame:
    """A feed file as text (None = null), read only with what its declaration says."""
    opts = feed.read_options
    if feed.format == "csv":
        df = pd.read_csv(path, sep=opts.get("delimiter", ","), encoding=opts.get("encoding"),
                         quotechar=opts.get("quote", '"'), dtype=str, keep_default_na=False)
        nulls = {""} | set(opts.get("null_values", []))
        return df.astype(object).where(~df.isin(nulls), None)
    if feed.format == "jsonl":
        with duckdb.connect() as con:
            return con.execute(
                "SELECT * FROM read_json($p, format='newline_delimited', columns=$c)",
                {"p": str(path), "c": {c: "VARCHAR" for c in feed.provider_columns}}).df()
    table = pq.read_table(path)
    df = table.to_pandas()
    return df.astype(object).where(df.notna(), None)


def _plain(pattern: str) -> str:
    """The pattern with non-capturing groups (the model's patterns, searched as DuckDB does)."""
    return re.sub(r"\((?!\?)", "(?:", pattern)


def parse(text: pd.Series, col: model.Column, fmt: str | None) -> tuple[pd.Series, pd.Series]:
    """(typed values, rows that fail to parse)."""
    present = text.notna()
    if col.type in ("DATE", "TIMESTAMP"):
        if fmt:
            value = pd.to_datetime(text, format=fmt, errors="coerce")
        else:
            value = pd.to_datetime(text, errors="coerce")
    elif col.type in ("INTEGER", "BIGINT", "DOUBLE"):
        value = pd.to_numeric(text, errors="coerce")
        if col.type != "DOUBLE":
            value = value.where(value.isna() | (value == np.floor(value)))
    elif col.type == "BOOLEAN":
        value = text.map({"true": True, "false": False})
    else:
        value = text
    return value, present & value.isna()


def quarantined(df: pd.DataFrame, feed) -> pd.Series:
    """Rows an ingestion following the contract must quarantine (independent reading)."""
    bad = pd.Series(False, index=df.index)
    target = model.table(feed.table)
    person = model.table("person")
    typed = {}
    for name, prov in {**feed.columns, **feed.person}.items():
        col = (person if name in feed.person else target).column(name)
        text = df[prov]
        if name in feed.value_maps:
            mapped = text.map(feed.value_maps[name])
            bad |= text.notna() & mapped.isna()
            text = mapped.astype(object).where(mapped.notna(), None)
        if col.required:
            bad |= df[prov].isna()
        fmt = feed.date_formats.get(name)
        if col.type in ("DATE", "TIMESTAMP") and feed.format == "parquet" and not fmt:
            fmt = None
        value, failed = parse(text, col, fmt)
        bad |= failed
        if col.allowed is not None:
            bad |= value.notna() & ~value.isin(col.allowed)
        if col.min is not None:
            bad |= value.notna() & (value < col.min)
        if col.max is not None:
            bad |= value.notna() & (value > col.max)
        if col.pattern is not None:
            bad |= value.notna() & ~value.astype(str).str.contains(_plain(col.pattern))
        typed[name] = value
    if feed.date_of_birth:
        dob, failed = parse(df[feed.date_of_birth], model.Column("dob", "DATE", ""),
                            feed.date_formats.get("date_of_birth"))
        bad |= failed
        if feed.person:
            bad |= df[feed.date_of_birth].isna()
    for earlier, later in feed.time_order:
        bad |= typed[later] < typed[earlier]
    for u in feed.unpivot:
        vcol = model.table(u.table).column(u.value)
        for prov in u.columns:
            v = df[prov]
            bad |= v.notna() & ~v.astype(str).str.contains(_plain(vcol.pattern))
        for mc, provs in u.parallel.items():
            pcol = model.table(u.table).column(mc)
            for prov in provs:
                bad |= parse(df[prov], pcol, feed.date_formats.get(mc))[1]
    return bad


def nhs_tokenised(text: pd.Series) -> pd.Series:
    """Rows whose NHS number does not normalise to a valid one (so they are tokenised)."""
    norm = text.fillna("").str.replace(r"[ -]", "", regex=True)
    digits = norm.str.fullmatch(r"\d{10}")
    valid = pd.Series(False, index=text.index)
    valid[digits] = is_valid_nhs(norm[digits].astype("int64").to_numpy())
    return ~valid


def test_every_feed_has_files_and_the_manifest_accounts_for_them(synth):
    out, manifest = synth
    files = sorted(p.name for p in (out / "feeds").iterdir())
    assert files == sorted(e["file"].split("/")[1] for e in manifest["files"])
    assert {feed_for_file(f).name for f in files} == set(BY_NAME)
    for e in manifest["files"]:
        assert e["expected_loaded"] == (e["rows"] - e["quarantine_total"]
                                        - e["repair"]["duplicate"] - e["repair"]["correction"])
    assert manifest["scale"] == SCALE and manifest["seed"] == 7 and manifest["months"] == 3


@pytest.mark.parametrize("feed", FEEDS, ids=lambda f: f.name)
def test_files_match_the_contract_exactly(synth, feed):
    out, manifest = synth
    entries = [e for e in manifest["files"] if e["feed"] == feed.name]
    assert entries, f"no files for {feed.name}"
    for e in entries:
        path = out / e["file"]
        df = read_text(path, feed)
        assert list(df.columns) == list(feed.provider_columns)
        assert len(df) == e["rows"]
        truth = pd.read_csv(out / "truth" / f"{path.name}.csv")
        kinds = truth.groupby("kind")["row_number"].apply(set).to_dict()
        # Quarantine: exactly the rows the manifest says, and no natural row fails
        bad = quarantined(df, feed)
        expected = set().union(*(kinds.get(k, set()) for k in e["quarantine"]))
        assert set(np.flatnonzero(bad.to_numpy()) + 1) == expected, path.name
        assert int(bad.sum()) == e["quarantine_total"]
        # NHS numbers: spaced/dashed normalise; missing/invalid/zeros are tokenised
        if feed.nhs_number:
            nhs = df[feed.nhs_number]
            tok = nhs_tokenised(nhs)
            want = sum(e["repair"][k] for k in ("nhs_missing", "nhs_invalid", "nhs_zeros"))
            assert int(tok.sum()) == want, path.name
            assert int(nhs.str.fullmatch(r"\d{3} \d{3} \d{4}").fillna(False).sum()) == \
                e["repair"]["nhs_spaced"]
            assert int(nhs.str.fullmatch(r"\d{3}-\d{3}-\d{4}").fillna(False).sum()) == \
                e["repair"]["nhs_dashed"]
            digits = nhs.fillna("").str.replace(r"[ -]", "", regex=True)
            ok = digits[~tok].astype("int64")
            assert ok.between(9_990_000_000, 9_999_999_999).all()
        # Exact duplicates load once; superseded versions lose to the later one
        assert int(df.duplicated().sum()) == e["repair"]["duplicate"]
        distinct = df.drop_duplicates()
        assert int(distinct.duplicated(list(feed.record_key)).sum()) == \
            e["repair"]["correction"]
        if feed.version and e["repair"]["correction"]:
            latest = distinct.sort_values(feed.version).drop_duplicates(
                list(feed.record_key), keep="last")
            assert len(latest) == len(distinct) - e["repair"]["correction"]
        if feed.postcode:
            pcs = df[feed.postcode].dropna()
            assert int(pcs.str.fullmatch(r"[a-z0-9]+").sum()) == e["repair"]["postcode_shape"]
            assert int((pcs == "ZZ99 3VZ").sum()) == e["repair"]["postcode_unmapped"]


def test_reference_files_have_the_model_columns_and_cover_the_feeds(synth):
    out, _ = synth
    for name in ("ref_org", "ref_lsoa", "ref_code", "ref_codelist"):
        df = pd.read_csv(out / "reference" / f"{name}.csv", dtype=str, keep_default_na=False)
        assert list(df.columns) == [c.name for c in model.table(name).columns]
        key = list(model.table(name).primary_key)
        assert not df.duplicated(key).any()
    orgs = pd.read_csv(out / "reference" / "ref_org.csv", dtype=str)
    assert orgs["org_type"].value_counts()["practice"] == 150
    assert orgs["org_type"].value_counts()["pcn"] == 27
    assert orgs.loc[orgs["org_type"] == "practice", "org_code"].str.fullmatch(r"F81\d{3}").all()
    lsoa = pd.read_csv(out / "reference" / "ref_lsoa.csv")
    assert lsoa["lsoa_code"].str.fullmatch(r"E01\d{6}").all()
    assert lsoa["district"].nunique() == 9 and lsoa["imd_decile"].between(1, 10).all()
    pcs = pd.read_csv(out / "reference" / "postcode_lsoa.csv", dtype=str)
    assert pcs["postcode"].is_unique and pcs["lsoa_code"].isin(lsoa["lsoa_code"]).all()
    # Every practice code and site code the feeds use is a known organisation
    for name in ("gpa_registrations", "gpb_appointments"):
        f = BY_NAME[name]
        for e in [e for e in json.loads((out / "manifest.json").read_text())["files"]
                  if e["feed"] == name]:
            codes = read_text(out / e["file"], f)[f.columns["practice_code"]].dropna()
            assert codes[codes != "ZZ"].isin(orgs["org_code"]).all()


def test_the_same_person_links_across_feeds(synth):
    out, manifest = synth

    def numbers(feed_name):
        f = BY_NAME[feed_name]
        vals = pd.concat([read_text(out / e["file"], f)[f.nhs_number]
                          for e in manifest["files"] if e["feed"] == feed_name])
        return set(vals.dropna().str.replace(r"[ -]", "", regex=True))

    registered = numbers("gpa_registrations") | numbers("gpb_registrations")
    ae = numbers("raj_ecds")
    assert len(ae & registered) / len(ae) > 0.97


def _digest(folder) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_and_another_seed_differs(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(a, 0.001, 11, months=2)
    # again in another process, with another string hash seed
    subprocess.run([sys.executable, "-c", "from agora.cli import main; main()", "synth",
                    "--scale", "0.001", "--seed", "11", "--months", "2", "--out", str(b)],
                   check=True, capture_output=True, timeout=600,
                   env={**os.environ, "PYTHONHASHSEED": "12345"})
    generate(c, 0.001, 12, months=2)
    assert _digest(a) == _digest(b)
    assert _digest(a)["feeds/raj_ecds_2025-04.csv"] != _digest(c)["feeds/raj_ecds_2025-04.csv"]
    assert re.fullmatch(r"[0-9a-f]{64}", _digest(a)["manifest.json"])
