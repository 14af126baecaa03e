"""One declaration per provider feed: how that provider writes its file, mapped to the model.

A feed declaration is all it takes to add a feed: `agora.synth` writes files in the provider's own
shape from it, and `agora.ingest` reads, validates, pseudonymises and maps them with it.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Feed:
    name: str                 # feed name, also the file name prefix: <name>_<period>.<ext>
    table: str                # target table in agora.model
    org_code: str             # sending organisation (ODS/ONS code)
    format: str               # reader name: csv | parquet | jsonl (see agora.ingest readers)
    columns: dict[str, str]   # model column -> provider column
    description: str = ""
    # Reader options: delimiter, encoding, header, quote ...
    read_options: dict = field(default_factory=dict)
    # strptime formats for provider date/timestamp columns: model column -> format
    date_formats: dict[str, str] = field(default_factory=dict)
    # Value maps for coded columns: model column -> {provider value: model value}
    value_maps: dict[str, dict[str, str]] = field(default_factory=dict)
    # Identity: provider columns holding the NHS number and the local identifier
    nhs_number: str | None = None
    local_id: str | None = None
    # Direct identifiers the provider sends; reduced (postcode -> LSOA, dob -> month) or dropped
    postcode: str | None = None
    date_of_birth: str | None = None
    drop: tuple[str, ...] = ()  # names, addresses, phone numbers: never read into the store
    # Columns that identify a record within the provider, for de-duplication and corrections
    record_key: tuple[str, ...] = ()
    # Provider column whose later value wins for corrected records (for example a version ts)
    version: str | None = None

    @property
    def file_glob(self) -> str:
        return f"{self.name}_*"


FEEDS: tuple[Feed, ...] = (
    Feed(
        name="raj_ecds",
        table="ae_attendance",
        org_code="RAJ",
        format="csv",
        description="Mid and South Essex NHS FT A&E attendances (ECDS extract), monthly CSV.",
        columns={
            "attendance_id": "AttendanceIdentifier",
            "site_code": "SiteCode",
            "department_type": "EmergencyCareDepartmentType",
            "arrival_mode": "ArrivalMode",
            "arrival_at": "ArrivalDateTime",
            "initial_assessment_at": "InitialAssessmentDateTime",
            "seen_at": "SeenForTreatmentDateTime",
            "decision_to_admit_at": "DecisionToAdmitDateTime",
            "clinically_ready_at": "ClinicallyReadyToProceedDateTime",
            "departure_at": "DepartureDateTime",
            "acuity": "Acuity",
            "chief_complaint": "ChiefComplaintSnomed",
            "diagnosis": "PrimaryDiagnosisSnomed",
            "discharge_destination": "DischargeDestination",
            "ambulance_incident_id": "AmbulanceIncidentNumber",
        },
        date_formats={c: "%d/%m/%Y %H:%M:%S" for c in (
            "arrival_at", "initial_assessment_at", "seen_at", "decision_to_admit_at",
            "clinically_ready_at", "departure_at")},
        value_maps={"arrival_mode": {"1": "ambulance", "2": "walk_in", "9": "other"}},
        nhs_number="NHSNumber",
        local_id="PASNumber",
        postcode="Postcode",
        date_of_birth="DateOfBirth",
        drop=("PatientName", "AddressLine1"),
        record_key=("AttendanceIdentifier",),
        version="ExtractDateTime",
    ),
    # Further feeds are declared here, one per provider file (see DATA_SPEC.md).
)

BY_NAME: dict[str, Feed] = {f.name: f for f in FEEDS}


def feed(name: str) -> Feed:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"no feed {name!r}; known feeds: {', '.join(sorted(BY_NAME))}") from None


def feed_for_file(file_name: str) -> Feed | None:
    """The feed a file belongs to, by its name prefix (longest match), or None."""
    matches = [f for f in FEEDS if file_name.startswith(f.name + "_")]
    return max(matches, key=lambda f: len(f.name)) if matches else None
