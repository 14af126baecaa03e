"""No direct identifier in the store: every column of every table of both snapshots is scanned
for NHS numbers, names, addresses, postcodes and full dates of birth taken from the feeds."""
from __future__ import annotations

import re

import duckdb
import pytest

from agora.feeds import feed_for_file
from agora.ingest.readers import READERS

NHS_SHAPE = r"^\s*9\d{2}[\s-]?\d{3}[\s-]?\d{4}\s*$"        # the synthetic (999) range
POSTCODE_SHAPE = r"^\s*[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2}\s*$"
NUMERIC = ("BIGINT", "INTEGER", "DOUBLE", "HUGEINT", "DECIMAL", "UBIGINT")


@pytest.fixture(scope="module")
def identifiers(small_store, tmp_path_factory):
    """Every direct identifier value the synthetic feeds carry, in one DuckDB connection."""
    con = duckdb.connect()
    work = tmp_path_factory.mktemp("ident_work")
    con.execute("CREATE TABLE ident (kind VARCHAR, value VARCHAR)")
    for path in sorted((small_store.feeds_dir / "feeds").iterdir()):
        feed = feed_for_file(path.name)
        if feed is None:
            continue
        READERS.read(con, path, feed, work)
        kinds = [("name_or_address", c) for c in feed.drop]
        kinds += [(k, c) for k, c in (("nhs", feed.nhs_number), ("postcode", feed.postcode),
                                      ("dob", feed.date_of_birth), ("local_id", feed.local_id))
                  if c]
        for kind, col in kinds:
            con.execute(f'INSERT INTO ident SELECT DISTINCT $k, trim("{col}") FROM raw '
                        f'WHERE trim("{col}") <> \'\'', {"k": kind})
        con.execute("DROP TABLE raw")
    # Name and address words too, so "Ann" is found inside "Ann Smith"
    con.execute("INSERT INTO ident SELECT DISTINCT 'name_word', w FROM (SELECT unnest("
                "regexp_split_to_array(value, '[^A-Za-z0-9]+')) AS w FROM ident "
                "WHERE kind = 'name_or_address') "
                "WHERE length(w) >= 4 AND NOT regexp_matches(w, '^[0-9]+$')")
    con.execute("INSERT INTO ident SELECT DISTINCT 'nhs', regexp_replace(value, '[\\s-]', '', "
                "'g') FROM ident WHERE kind = 'nhs'")
    con.execute("INSERT INTO ident SELECT DISTINCT 'postcode', upper(replace(value, ' ', '')) "
                "FROM ident WHERE kind = 'postcode'")
    # "0000000000" is how some feeds write "no NHS number": not an identifier
    con.execute("DELETE FROM ident WHERE kind = 'nhs' AND regexp_full_match(value, '[0\\s-]+')")
    counts = dict(con.execute("SELECT kind, count(*) FROM ident GROUP BY 1").fetchall())
    assert counts.get("nhs", 0) > 100 and counts.get("name_or_address", 0) > 100, counts
    yield con
    con.close()


def text_columns(con, db):
    return con.execute("SELECT table_name, column_name, data_type FROM duckdb_columns() "
                       "WHERE database_name = $db ORDER BY 1, 2", {"db": db}).fetchall()


def scan(con, path) -> tuple[int, list]:
    """(tables scanned, [(table, column, hits)]) for the database file at `path`."""
    con.execute(f"ATTACH '{path}' AS snap (READ_ONLY)")
    try:
        found = []
        cols = text_columns(con, "snap")
        for table, column, dtype in cols:
            ref = f'snap.main."{table}"."{column}"'
            src = f'snap.main."{table}"'
            person_level = not table.startswith("ref_")
            kinds = ["nhs", "postcode", "dob"] + (["name_or_address"] if person_level else [])
            token_kinds = ["nhs"] + (["name_word"] if person_level else [])
            if dtype == "VARCHAR":
                # whole values, and identifiers embedded in longer text (as tokens)
                hits = con.execute(
                    f"WITH vals AS (SELECT DISTINCT {ref} AS v FROM {src} WHERE {ref} IS NOT NULL),"
                    " toks AS (SELECT v, unnest(regexp_split_to_array(v, '[^A-Za-z0-9]+')) AS t"
                    " FROM vals) "
                    "SELECT (SELECT count(*) FROM vals WHERE regexp_matches(v, $nhs) "
                    "OR regexp_matches(v, $pc) OR v IN (SELECT value FROM ident "
                    "WHERE list_contains($kinds, kind))) + (SELECT count(DISTINCT v) FROM toks "
                    "WHERE t IN (SELECT value FROM ident WHERE list_contains($tk, kind)))",
                    {"nhs": NHS_SHAPE, "pc": POSTCODE_SHAPE, "kinds": kinds,
                     "tk": token_kinds}).fetchone()[0]
            elif dtype in NUMERIC:
                hits = con.execute(f"SELECT count(*) FROM {src} WHERE {ref} BETWEEN "
                                   "9000000000 AND 9999999999").fetchone()[0]
            else:
                continue
            if hits:
                found.append((table, column, hits))
        return len({t for t, _, _ in cols}), found
    finally:
        con.execute("DETACH snap")


@pytest.mark.parametrize("which", ["analyst", "restricted"])
def test_no_direct_identifier_in_any_column(small_store, identifiers, which):
    tables, found = scan(identifiers, getattr(small_store, which))
    assert tables >= 20 and found == []


def test_the_scan_finds_planted_identifiers(identifiers, tmp_path):
    """Positive control: one value of each kind, planted in a copy, is found."""
    planted = {}
    for kind in ("nhs", "postcode", "name_or_address", "name_word"):
        planted[kind] = identifiers.execute("SELECT value FROM ident WHERE kind = $k LIMIT 1",
                                            {"k": kind}).fetchone()[0]
    db = tmp_path / "planted.duckdb"
    c = duckdb.connect(str(db))
    c.execute("CREATE TABLE gp_event (a VARCHAR, b VARCHAR, c VARCHAR, d VARCHAR, "
              "e VARCHAR, n BIGINT)")
    c.execute("INSERT INTO gp_event VALUES ($a, $b, $c, 'seen by ' || $d || ' today', "
              "'clean', 9990000018)",
              {"a": planted["nhs"], "b": planted["postcode"], "c": planted["name_or_address"],
               "d": planted["name_word"]})
    c.close()
    _, found = scan(identifiers, db)
    assert sorted(col for _, col, _ in found) == ["a", "b", "c", "d", "n"]


@pytest.mark.parametrize("which", ["analyst", "restricted"])
def test_dates_of_birth_reduced_to_months(small_store, which):
    con = duckdb.connect(str(getattr(small_store, which)), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT DISTINCT column_name FROM duckdb_columns() WHERE NOT internal").fetchall()]
        assert not [n for n in names if re.search(
            r"birth_date|date_of_birth|dob|postcode|address|nhs|surname|forename|phone", n, re.I)]
        days = con.execute("SELECT DISTINCT day(birth_month) FROM person").fetchall()
        assert days == [(1,)]
        assert con.execute("SELECT count(*) FROM person").fetchone()[0] > 100
    finally:
        con.close()


def test_no_identifier_column_names_in_the_model():
    from agora import model
    for t in model.TABLES:
        for c in t.all_columns:
            assert not re.search(r"nhs|postcode|address|surname|forename|date_of_birth", c.name)
