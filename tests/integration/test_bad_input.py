"""Bad input: each case leaves the data in the store unchanged and names the problem."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from agora import store
from agora.cli import main
from agora.ingest import ingest

from ingest_files import HEADER, data_counts, ecds_row, ecds_text, query, write_ecds


@pytest.fixture(autouse=True)
def no_hooks(monkeypatch):
    monkeypatch.setattr(store.hooks, "POST_LOAD", [])


@pytest.fixture
def loaded(agora_env, tmp_path):
    """A store holding one good month; returns the source folder and the data counts."""
    src = tmp_path / "src"
    write_ecds(src, "2025-04", [ecds_row(AttendanceIdentifier=f"A{i}") for i in range(3)])
    ingest(src)
    return src, data_counts()


def feeds(src):
    return src / "feeds"


def rejected(src, name: str, content: bytes) -> str:
    """Write a bad file, ingest, and return the rejection message (data must be unchanged)."""
    before = data_counts()
    (feeds(src) / name).write_bytes(content)
    result = ingest(src)
    [bad] = [b for b in result.batches if b.file_name == name]
    assert bad.status == "rejected", bad
    assert data_counts() == before
    assert query("SELECT status, error, rows_loaded FROM load_batch WHERE file_name = $f",
                 {"f": name}) == [("rejected", bad.error, 0)]
    return bad.error


GOOD = ecds_text([ecds_row(AttendanceIdentifier=f"N{i}") for i in range(50)]).encode()


def test_empty_file(loaded):
    assert rejected(loaded[0], "raj_ecds_2025-05.csv", b"") == "the file is empty"


def test_blank_file(loaded):
    assert "no header" in rejected(loaded[0], "raj_ecds_2025-05.csv", b"\n\n")


def test_truncated_file(loaded):
    cut = GOOD[: len(GOOD) - 40]          # ends part-way through the last row
    msg = rejected(loaded[0], "raj_ecds_2025-05.csv", cut)
    assert "truncated or malformed" in msg


def test_truncated_inside_a_quoted_field(loaded):
    text = ecds_text([ecds_row(AttendanceIdentifier="Q1", PatientName="Smith, Ann")])
    cut = text[: text.index("Smith") + 3].encode()
    assert "truncated or malformed" in rejected(loaded[0], "raj_ecds_2025-05.csv", cut)


def test_wrong_header(loaded):
    header = [("ArrivalTime" if h == "ArrivalDateTime" else h) for h in HEADER]
    text = ecds_text([ecds_row(ArrivalTime="01/04/2025 10:00:00")], header=header)
    msg = rejected(loaded[0], "raj_ecds_2025-05.csv", text.encode())
    assert msg.startswith("wrong header: missing column(s) ArrivalDateTime")


def test_duplicate_column_in_header(loaded):
    text = ecds_text([ecds_row()]).replace("Acuity", "Acuity,Acuity", 1)
    assert "appears twice" in rejected(loaded[0], "raj_ecds_2025-05.csv", text.encode())


def test_wrong_encoding(loaded):
    text = ecds_text([ecds_row(AttendanceIdentifier="E1", PatientName="Zoë Brontë")])
    msg = rejected(loaded[0], "raj_ecds_2025-05.csv", text.encode("latin-1"))
    assert "not valid UTF-8" in msg


def test_utf16_file_in_a_utf8_feed(loaded):
    msg = rejected(loaded[0], "raj_ecds_2025-05.csv", GOOD.decode().encode("utf-16"))
    assert "binary" in msg or "UTF-8" in msg or "missing column" in msg


def test_wrong_encoding_in_a_windows_1252_feed(agora_env, tmp_path):
    src = tmp_path / "src"
    (src / "feeds").mkdir(parents=True)
    # 0x81 is undefined in Windows-1252
    (src / "feeds" / "raj_rtt_2025-04.csv").write_bytes(b"PATHWAY_ID,X\n\x81,1\n")
    [b] = ingest(src).batches
    assert b.status == "rejected" and "not valid cp1252 text" in b.error


def test_hundred_megabyte_field(loaded, tmp_path):
    big = tmp_path / "big.csv"
    head = ecds_text([]).encode()
    row = ecds_text([ecds_row(AttendanceIdentifier="BIG", PatientName="")]).splitlines()[1]
    with open(big, "wb") as f:
        f.write(head)
        f.write(row.encode().replace(b"Ann Smith", b""))
        f.write(b"," + b"x" * 100_000_000 + b"\n")
    content = big.read_bytes()
    assert "byte limit" in rejected(loaded[0], "raj_ecds_2025-05.csv", content)


def test_hundred_megabyte_quoted_field_in_jsonl(agora_env, tmp_path):
    src = tmp_path / "src"
    (src / "feeds").mkdir(parents=True)
    line = json.dumps({"incidentNumber": "X" * 100_000_000})
    (src / "feeds" / "ryc_cad_2025-04.jsonl").write_text(line + "\n")
    [b] = ingest(src).batches
    assert b.status == "rejected" and "byte limit" in b.error


def test_hundred_megabyte_header_line(loaded):
    msg = rejected(loaded[0], "raj_ecds_2025-05.csv", b"A" * 100_000_000 + b"\n1\n")
    assert msg == "a line of 100,000,000 bytes is longer than the 2,000,000 byte limit"


def test_binary_junk(loaded):
    junk = bytes(range(256)) * 4096
    msg = rejected(loaded[0], "raj_ecds_2025-05.csv", junk)
    assert "binary" in msg or "UTF-8" in msg


def test_binary_junk_as_parquet(agora_env, tmp_path):
    src = tmp_path / "src"
    (src / "feeds").mkdir(parents=True)
    (src / "feeds" / "raj_opa_2025-04.parquet").write_bytes(b"PAR1" + bytes(range(256)) * 64)
    [b] = ingest(src).batches
    assert b.status == "rejected" and "Parquet" in b.error


def test_malformed_json_lines(agora_env, tmp_path):
    src = tmp_path / "src"
    (src / "feeds").mkdir(parents=True)
    good = {c: None for c in ("incidentNumber",)}
    (src / "feeds" / "ryc_cad_2025-04.jsonl").write_text(json.dumps(good) + "\n{not json\n")
    [b] = ingest(src).batches
    assert b.status == "rejected" and ("JSON" in b.error or "missing" in b.error)


def test_sql_looking_strings_are_data(loaded):
    src, before = loaded
    hostile = "A9'; DROP TABLE ae_attendance; --"
    write_ecds(src, "2025-05", [
        ecds_row(AttendanceIdentifier=hostile, ArrivalDateTime="02/05/2025 10:00:00",
                 DepartureDateTime="02/05/2025 11:00:00", InitialAssessmentDateTime=""),
        ecds_row(AttendanceIdentifier="A10", SiteCode="R'); DELETE FROM person; --"),
        ecds_row(AttendanceIdentifier="A11", PatientName="Robert'); DROP TABLE load_batch;--",
                 NHSNumber="' OR 1=1 --", PASNumber="x' OR '1'='1"),
    ])
    [_, b] = ingest(src).batches
    assert (b.loaded, b.quarantined) == (2, 1)
    after = data_counts()
    assert set(after) == set(before)                    # every table still there
    assert after["ae_attendance"] == before["ae_attendance"] + 2
    assert query("SELECT count(*) FROM ae_attendance WHERE attendance_id = $a",
                 {"a": hostile}) == [(1,)]
    assert query("SELECT reason FROM quarantine") == [
        ("site_code: does not match the expected pattern",)]


def test_hostile_file_name(loaded):
    src, before = loaded
    name = "raj_ecds_2025-05'); DROP TABLE ae_attendance; --.csv"
    (feeds(src) / name).write_bytes(GOOD)
    [_, b] = ingest(src).batches
    assert b.status == "loaded" and b.file_name == name
    assert data_counts()["ae_attendance"] == before["ae_attendance"] + 50


def test_unknown_file_is_skipped_with_a_warning(loaded):
    src, before = loaded
    (feeds(src) / "mystery_2025-05.csv").write_bytes(GOOD)
    result = ingest(src)
    assert result.unrecognised == ["mystery_2025-05.csv"] and result.snapshot is None
    assert data_counts() == before


def test_header_only_file_loads_nothing(loaded):
    src, before = loaded
    (feeds(src) / "raj_ecds_2025-05.csv").write_text(ecds_text([]))
    [_, b] = ingest(src).batches
    assert (b.status, b.received, b.loaded) == ("loaded", 0, 0)
    assert data_counts() == before


# The command line ------------------------------------------------------------------------------
def test_cli_missing_directory(agora_env, tmp_path):
    r = CliRunner().invoke(main, ["ingest", str(tmp_path / "nowhere")])
    assert r.exit_code == 2 and "does not exist" in r.output


def test_cli_directory_without_feeds(agora_env, tmp_path):
    r = CliRunner().invoke(main, ["ingest", str(tmp_path)])
    assert r.exit_code == 1 and "neither a reference/ nor a feeds/ folder" in r.output


def test_cli_unsafe_key_leaves_store_unchanged(loaded, agora_env):
    src, before = loaded
    _, key = agora_env
    key.chmod(0o644)
    write_ecds(src, "2025-05", [ecds_row(AttendanceIdentifier="Z")])
    r = CliRunner().invoke(main, ["ingest", "-q", str(src)])
    assert r.exit_code == 1 and "chmod 600" in r.output and "store is unchanged" in r.output
    assert data_counts() == before


def test_cli_reports_rejections_and_publishes(loaded):
    src, _ = loaded
    (feeds(src) / "raj_ecds_2025-05.csv").write_bytes(b"")
    r = CliRunner().invoke(main, ["ingest", "-q", str(src)])
    assert r.exit_code == 0, r.output
    assert "rejected raj_ecds_2025-05.csv: the file is empty" in r.output


def test_cli_help():
    r = CliRunner().invoke(main, ["ingest", "--help"])
    assert r.exit_code == 0 and "pseudonymised" in r.output
