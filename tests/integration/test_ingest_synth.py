"""synth -> ingest at a tiny scale: counts per file and table, lineage, and quarantine reasons
matching the defects synth injected (its manifest and per-row truth files)."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from agora import model
from agora.feeds import BY_NAME as FEEDS
from agora.ingest.mapping import plan

DUP, SUPERSEDED = "exact duplicate of row", "superseded by row"


def manifest_files(manifest) -> list[dict]:
    files = manifest["files"] if isinstance(manifest, dict) else manifest
    return [f for f in files if str(f.get("file", "")).startswith("feeds/")]


@pytest.fixture(scope="module")
def con(small_store):
    c = duckdb.connect(str(small_store.restricted), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def batches(con):
    return con.execute("SELECT * FROM load_batch").df().set_index("file_name")


def test_every_file_loaded_with_the_expected_counts(small_store, batches, con):
    files = manifest_files(small_store.manifest)
    assert len(files) >= 20
    for f in files:
        name = f["file"].split("/", 1)[1]
        b = batches.loc[name]
        assert b.status == "loaded", (name, b.error)
        assert b.rows_received == f["rows"], name
        reasons = con.execute("SELECT reason FROM quarantine WHERE load_batch_id = $b",
                              {"b": int(b.load_batch_id)}).df()["reason"]
        dups = int(reasons.str.startswith(DUP).sum())
        superseded = int(reasons.str.startswith(SUPERSEDED).sum())
        invalid = len(reasons) - dups - superseded
        got = (b.rows_loaded, invalid, dups, superseded)
        want = (f["expected_loaded"], f["quarantine_total"], f["repair"]["duplicate"],
                f["repair"]["correction"])
        assert got == want, name
        assert b.rows_loaded + b.rows_quarantined == b.rows_received


def test_quarantined_rows_are_the_injected_ones(small_store, batches, con):
    for f in manifest_files(small_store.manifest):
        name = f["file"].split("/", 1)[1]
        truth = pd.read_csv(small_store.feeds_dir / "truth" / f"{name}.csv")
        want = set(truth.loc[truth["action"] == "quarantine", "row_number"])
        want_old = set(truth.loc[truth["kind"] == "correction", "row_number"])
        q = con.execute("SELECT row_number, reason FROM quarantine WHERE load_batch_id = $b",
                        {"b": int(batches.loc[name].load_batch_id)}).df()
        invalid = q[~q.reason.str.startswith(DUP) & ~q.reason.str.startswith(SUPERSEDED)]
        assert set(invalid.row_number) == want, name
        assert set(q[q.reason.str.startswith(SUPERSEDED)].row_number) == want_old, name


def test_lineage_on_every_row_of_every_table(con):
    for t in model.TABLES:
        if not t.lineage:
            continue
        bad = con.execute(f'SELECT count(*) FROM "{t.name}" WHERE source_org_code IS NULL '
                          "OR load_batch_id IS NULL OR loaded_at IS NULL").fetchone()[0]
        assert bad == 0, t.name
        orphan = con.execute(f'SELECT count(*) FROM "{t.name}" x ANTI JOIN load_batch b '
                             "USING (load_batch_id)").fetchone()[0]
        assert orphan == 0, t.name


def test_table_counts_match_the_manifest(small_store, con):
    loaded: dict[str, int] = {}
    keyed: dict[str, bool] = {}
    for f in manifest_files(small_store.manifest):
        fd = FEEDS[f["feed"]]
        loaded[fd.table] = loaded.get(fd.table, 0) + f["expected_loaded"]
        keyed[fd.table] = keyed.get(fd.table, False) or fd.snapshot or \
            plan(fd).model_key() is not None
    for table, n in loaded.items():
        got = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        if keyed[table]:      # restated or re-sent records replace earlier ones
            assert 0 < got <= n, table
        else:
            assert got == n, table


def test_people_link_across_feeds_and_opt_out_is_honoured(small_store, con):
    persons, opted = con.execute("SELECT count(*), count(*) FILTER (WHERE opt_out) "
                                 "FROM person").fetchone()
    assert persons > 500 and 0 < opted < persons * 0.2
    linked = con.execute("SELECT avg((person_id IN (SELECT person_id FROM person))::INT) "
                         "FROM ae_attendance WHERE NOT id_from_local").fetchone()[0]
    assert linked > 0.9
    analyst = duckdb.connect(str(small_store.analyst), read_only=True)
    try:
        assert analyst.execute("SELECT count(*) FROM person").fetchone()[0] == persons - opted
        assert analyst.execute("SELECT count(*) FROM person WHERE opt_out").fetchone()[0] == 0
    finally:
        analyst.close()


def test_reference_tables_loaded(con):
    for t in ("ref_org", "ref_lsoa"):
        assert con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] > 0, t
