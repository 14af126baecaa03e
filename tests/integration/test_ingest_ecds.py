"""Ingestion of hand-written A&E files: expected outcomes worked out by hand, row by row."""
from __future__ import annotations

import hashlib
import hmac
import stat

import duckdb
import pytest

from agora import pseudo, store
from agora.ingest import ingest

from ingest_files import ecds_row, query, write_ecds


@pytest.fixture(autouse=True)
def no_hooks(monkeypatch):
    """Ingestion alone: other modules' post-load hooks are tested with the full store."""
    monkeypatch.setattr(store.hooks, "POST_LOAD", [])


def hmac_hex(key: bytes, msg: str) -> str:
    return hmac.new(key, msg.encode(), hashlib.sha256).hexdigest()


def test_rows_loaded_or_quarantined_with_reasons(agora_env, tmp_path):
    src = tmp_path / "src"
    write_ecds(src, "2025-04", [
        ecds_row(),                                                     # 1 loaded
        ecds_row(AttendanceIdentifier="A2", DepartureDateTime="01/04/2025 09:00:00"),  # 2 bad order
        ecds_row(AttendanceIdentifier="A3", EmergencyCareDepartmentType="07", Acuity="9",
                 DischargeDestination="XXX", DateOfBirth="1950-03-15"),  # 3 four reasons
        ecds_row(AttendanceIdentifier="A4", NHSNumber="9991234560", PASNumber="P0004"),  # 4 dup
        ecds_row(AttendanceIdentifier="A4", NHSNumber="9991234560", PASNumber="P0004"),  # 5 local
        ecds_row(AttendanceIdentifier="A5", NHSNumber="", PASNumber=""),  # 6 no identity
        ecds_row(AttendanceIdentifier="A6", ArrivalDateTime="31/02/2025 10:00:00"),  # 7 bad date
        ecds_row(AttendanceIdentifier="A1", DepartureDateTime="01/04/2025 14:00:00",
                 ExtractDateTime="2025-05-01T00:00:00"),                # 8 corrects row 1
    ])
    result = ingest(src)
    [b] = result.batches
    assert (b.status, b.received, b.loaded, b.quarantined) == ("loaded", 8, 2, 6)

    key = pseudo.load_key()
    rows = query("SELECT attendance_id, person_id, id_from_local, departure_at::VARCHAR, "
                 "age_at_arrival, arrival_mode, discharge_destination, source_org_code, "
                 "load_batch_id FROM ae_attendance ORDER BY attendance_id")
    assert rows == [
        ("A1", hmac_hex(key, "9434765919"), False, "2025-04-01 14:00:00", 75, "ambulance",
         "home", "RAJ", 1),
        ("A4", hmac_hex(key, "local:RAJ:P0004"), True, "2025-04-01 13:00:00", 75, "ambulance",
         "home", "RAJ", 1),
    ]
    assert query("SELECT row_number, reason FROM quarantine ORDER BY row_number") == [
        (1, "superseded by row 8 (a later version of the same record)"),
        (2, "departure_at: before arrival_at"),
        (3, "department_type: not one of the allowed values; acuity: above the maximum; "
            "discharge_destination: unknown code; "
            "date_of_birth: not a valid date in the format %d/%m/%Y"),
        (4, "exact duplicate of row 5"),    # the last of identical rows is kept
        (6, "person_id: no valid NHS number and no local identifier"),
        (7, "arrival_at: not a valid timestamp in the format %d/%m/%Y %H:%M:%S"),
    ]
    [(received, loaded, quarantined, status)] = query(
        "SELECT rows_received, rows_loaded, rows_quarantined, status FROM load_batch")
    assert (received, loaded, quarantined, status) == (8, 2, 6, "loaded")


def test_lineage_on_every_row(agora_env, tmp_path):
    src = tmp_path / "src"
    write_ecds(src, "2025-04", [ecds_row(AttendanceIdentifier=f"A{i}") for i in range(5)])
    ingest(src)
    [(n, orgs, batches, missing)] = query(
        "SELECT count(*), count(DISTINCT source_org_code), count(DISTINCT load_batch_id), "
        "count(*) FILTER (WHERE loaded_at IS NULL) FROM ae_attendance")
    assert (n, orgs, batches, missing) == (5, 1, 1, 0)


def test_later_months_add_and_corrections_replace(agora_env, tmp_path):
    src = tmp_path / "src"
    write_ecds(src, "2025-04", [ecds_row(AttendanceIdentifier="A1"),
                                ecds_row(AttendanceIdentifier="A2")])
    first = ingest(src)
    write_ecds(src, "2025-05", [
        ecds_row(AttendanceIdentifier="A3", ArrivalDateTime="02/05/2025 10:00:00",
                 InitialAssessmentDateTime="", DepartureDateTime="02/05/2025 11:00:00"),
        ecds_row(AttendanceIdentifier="A1", Acuity="2", ExtractDateTime="2025-05-31T00:00:00"),
    ])
    second = ingest(src)
    assert [b.status for b in second.batches] == ["skipped", "loaded"]
    assert second.snapshot == first.snapshot + 1
    assert query("SELECT attendance_id, acuity, load_batch_id FROM ae_attendance "
                 "ORDER BY attendance_id") == [("A1", 2, 2), ("A2", 3, 1), ("A3", 3, 2)]


def test_same_file_twice_adds_nothing(agora_env, tmp_path):
    src = tmp_path / "src"
    path = write_ecds(src, "2025-04", [ecds_row()])
    ingest(src)
    before = store.current_path()
    # the same content under another name is the same file
    path.with_name("raj_ecds_2025-06.csv").write_bytes(path.read_bytes())
    again = ingest(src)
    assert {b.status for b in again.batches} == {"skipped"}
    assert again.snapshot is None and store.current_path() == before
    assert query("SELECT count(*) FROM ae_attendance") == [(1,)]
    assert query("SELECT count(*) FROM load_batch") == [(1,)]


def test_pseudonym_stable_across_runs_and_shapes(agora_env, tmp_path):
    src = tmp_path / "src"
    write_ecds(src, "2025-04", [ecds_row(AttendanceIdentifier="A1", NHSNumber="943 476 5919")])
    ingest(src)
    write_ecds(src, "2025-05", [ecds_row(AttendanceIdentifier="A2", NHSNumber="943-476-5919",
                                         PASNumber="OTHER")])
    ingest(src)
    ids = query("SELECT DISTINCT person_id FROM ae_attendance")
    assert ids == [(pseudo.person_id("9434765919"),)]


def test_no_identifier_reaches_the_store_but_quarantine_area_keeps_raw_rows(agora_env, tmp_path):
    data, _ = agora_env
    src = tmp_path / "src"
    write_ecds(src, "2025-04", [ecds_row(), ecds_row(AttendanceIdentifier="B", Acuity="x")])
    ingest(src)
    for path in (store.current_path(), store.current_path(restricted=True)):
        raw = path.read_bytes()
        for needle in (b"Ann Smith", b"High Street", b"SS1 1AA", b"9434765919", b"P0001",
                       b"15/03/1950"):
            assert needle not in raw, (path.name, needle)
    area = data / "quarantine"
    assert stat.S_IMODE(area.stat().st_mode) == 0o700
    [kept] = list(area.glob("*.parquet"))
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    rows = duckdb.sql(f"SELECT row_number, reason, PatientName FROM read_parquet('{kept}')"
                      ).fetchall()
    assert rows == [(2, "acuity: not a whole number", "Ann Smith")]


def test_snapshot_files_and_modes(agora_env, tmp_path):
    src = tmp_path / "src"
    write_ecds(src, "2025-04", [ecds_row()])
    ingest(src)
    analyst, restricted = store.current_path(), store.current_path(restricted=True)
    assert stat.S_IMODE(restricted.stat().st_mode) == 0o600
    assert stat.S_IMODE(analyst.stat().st_mode) == 0o644
    assert analyst.parent == restricted.parent
