"""Hand-written feed files for ingestion tests (A&E feed `raj_ecds`), and store helpers."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb

from agora.feeds import feed

ECDS = feed("raj_ecds")
HEADER = list(ECDS.provider_columns)

# One valid attendance, by provider column; tests override fields.
BASE = {
    "AttendanceIdentifier": "A1", "SiteCode": "RAJ01", "EmergencyCareDepartmentType": "01",
    "ArrivalMode": "1", "ArrivalDateTime": "01/04/2025 10:00:00",
    "InitialAssessmentDateTime": "01/04/2025 10:10:00", "SeenForTreatmentDateTime": "",
    "DecisionToAdmitDateTime": "", "ClinicallyReadyToProceedDateTime": "",
    "DepartureDateTime": "01/04/2025 13:00:00", "Acuity": "3", "ChiefComplaintSnomed": "161891005",
    "PrimaryDiagnosisSnomed": "22298006", "DischargeDestination": "HOM",
    "AmbulanceIncidentNumber": "", "NHSNumber": "943 476 5919", "PASNumber": "P0001",
    "Postcode": "SS1 1AA", "DateOfBirth": "15/03/1950", "PatientName": "Ann Smith",
    "AddressLine1": "1 High Street", "ExtractDateTime": "2025-04-30T00:00:00",
}


def ecds_row(**overrides) -> dict:
    row = dict(BASE)
    row.update(overrides)
    return row


def ecds_text(rows: list[dict], header: list[str] = HEADER) -> str:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


def write_ecds(src: Path, period: str, rows: list[dict], **kw) -> Path:
    path = src / "feeds" / f"raj_ecds_{period}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ecds_text(rows, **kw))
    return path


def table_rows(path: Path) -> dict[str, int]:
    """Row count of every table of a snapshot file (read-only)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()


def query(sql: str, params=None, restricted: bool = True):
    from agora import store
    con = store.connect(restricted=restricted)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def data_counts(restricted: bool = True) -> dict[str, int]:
    """Row counts of the current snapshot's tables, without the load_batch record."""
    from agora import store
    counts = table_rows(store.current_path(restricted=restricted))
    counts.pop("load_batch", None)
    return counts


def pause_hook(con) -> None:
    """A post-load hook for subprocess tests: signal, then wait to be killed or released."""
    import os
    import time
    Path(os.environ["AGORA_TEST_PAUSED"]).touch()
    release = Path(os.environ["AGORA_TEST_RELEASE"])
    for _ in range(600):
        if release.exists():
            return
        time.sleep(0.1)
