"""One declaration per provider feed: how that provider writes its file, mapped to the model.

A feed declaration is all it takes to add a feed: `agora.synth` writes files in the provider's own
shape from it, and `agora.ingest` reads, validates, pseudonymises and maps them with it.

Conventions every declaration follows (the contract between synth and ingestion):

- Files are `<name>_<YYYY-MM>.<ext>` (`ext` = csv | parquet | jsonl). CSV and JSON-lines files
  hold every value as text (JSON strings or null); Parquet files hold text unless the feed has no
  `date_formats` entry for a date column, in which case that column is a native DATE/TIMESTAMP.
- `read_options`: `delimiter`, `encoding` (python codec name), `header` (bool), `quote`, and
  `null_values` (texts meaning null besides the empty string / JSON null).
- `date_formats` are keyed by MODEL column name (plus the pseudo-columns `date_of_birth` and the
  `person` columns), values are strptime formats. A non-empty value that does not parse is a
  validation failure.
- `value_maps` are keyed by MODEL column: provider text -> model value. Booleans map to the texts
  "true" / "false". A non-empty provider value missing from a feed's map is an unknown code.
  Columns without a map carry model values already (checked against the model's constraints).
- `version` values are ISO 8601 texts, so they sort correctly as text: for the same `record_key`,
  the row with the greatest version wins (corrected records; snapshot feeds restate records).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Unpivot:
    """Repeating provider columns (DIAG_01..DIAG_06) that become rows of a child table.

    For each row and each i, a non-empty `columns[i]` gives one child row with
    `value` = that code, `position` = i + 1, the `key` columns copied from the parent row, and
    each `parallel` model column taken from its i-th provider column (e.g. procedure dates).
    """
    table: str                                # child table in agora.model
    value: str                                # child model column holding the code
    columns: tuple[str, ...]                  # provider columns, position 1..n
    key: dict[str, str]                       # child model column -> parent provider column
    position: str = "position"                # child model column for the 1-based position
    parallel: dict[str, tuple[str, ...]] = field(default_factory=dict)


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
    # --- optional additions -----------------------------------------------------------------
    # Person-level columns (registration feeds build `person`): person column -> provider column.
    # Their formats/maps are in date_formats/value_maps under the same person column names.
    person: dict[str, str] = field(default_factory=dict)
    # Repeating columns unpivoted into child tables (apc_diagnosis, apc_procedure).
    unpivot: tuple[Unpivot, ...] = ()
    # Model columns that must be in order: (earlier, later); a row where both are present and
    # later < earlier is invalid (for example departure before arrival).
    time_order: tuple[tuple[str, str], ...] = ()
    # True when each file restates its records as at a census date (a later file's row for the
    # same record_key replaces the earlier one); false when each file carries new records only.
    snapshot: bool = False
    # File extension when it differs from `format` (all current feeds use the format name).
    extension: str | None = None

    @property
    def file_glob(self) -> str:
        return f"{self.name}_*"

    @property
    def ext(self) -> str:
        return self.extension or self.format

    @property
    def provider_columns(self) -> tuple[str, ...]:
        """Every provider column the file carries, in file order."""
        cols: list[str] = []
        for c in (self.record_key + ((self.version,) if self.version else ())
                  + ((self.local_id,) if self.local_id else ())
                  + ((self.nhs_number,) if self.nhs_number else ())
                  + self.drop
                  + ((self.date_of_birth,) if self.date_of_birth else ())
                  + ((self.postcode,) if self.postcode else ())
                  + tuple(self.person.values()) + tuple(self.columns.values())
                  + tuple(c for u in self.unpivot for c in u.columns)
                  + tuple(c for u in self.unpivot for p in u.parallel.values() for c in p)):
            if c not in cols:
                cols.append(c)
        return tuple(cols)


# Shared code conventions ------------------------------------------------------------------------
_YES_NO = {"Y": "true", "N": "false"}
_ONE_ZERO = {"1": "true", "0": "false"}
_CDS_ATTENDED = {"5": "true", "6": "true", "2": "false", "3": "false", "4": "false",
                 "7": "false"}
_SEX_MF = {"M": "M", "F": "F", "U": "U", "I": "U"}

# Organisations (ODS / ONS codes; see agora.synth.constants for sources)
TRUST, AMBULANCE, COMMUNITY_MH, ICB = "RAJ", "RYC", "R1L", "QH8"
ESSEX_CC, SOUTHEND, THURROCK = "E10000012", "E06000033", "E06000034"

_ECDS_TS = "%d/%m/%Y %H:%M:%S"
_APC_TS = "%Y-%m-%d %H:%M"


def _ts(fmt: str, *cols: str) -> dict[str, str]:
    return {c: fmt for c in cols}


FEEDS: tuple[Feed, ...] = (
    # Hospital trust (RAJ) ---------------------------------------------------------------------
    Feed(
        name="raj_ecds",
        table="ae_attendance",
        org_code=TRUST,
        format="csv",
        description="Mid and South Essex NHS FT A&E attendances (ECDS extract), monthly CSV.",
        read_options={"delimiter": ",", "encoding": "utf-8", "header": True, "quote": '"'},
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
        date_formats={**_ts(_ECDS_TS, "arrival_at", "initial_assessment_at", "seen_at",
                            "decision_to_admit_at", "clinically_ready_at", "departure_at"),
                      "date_of_birth": "%d/%m/%Y"},
        value_maps={"arrival_mode": {"1": "ambulance", "2": "walk_in", "9": "other"},
                    "discharge_destination": {"ADM": "admitted", "HOM": "home",
                                              "TRF": "transferred", "DIE": "died",
                                              "OTH": "other"}},
        nhs_number="NHSNumber",
        local_id="PASNumber",
        postcode="Postcode",
        date_of_birth="DateOfBirth",
        drop=("PatientName", "AddressLine1"),
        record_key=("AttendanceIdentifier",),
        version="ExtractDateTime",
        time_order=(("arrival_at", "departure_at"),),
    ),
    Feed(
        name="raj_apc",
        table="apc_spell",
        org_code=TRUST,
        format="csv",
        description="Trust inpatient spells (SUS APC style), monthly pipe-delimited text, with up "
                    "to six ICD-10 diagnoses and four OPCS-4 procedures per spell.",
        read_options={"delimiter": "|", "encoding": "utf-8", "header": True, "quote": '"',
                      "null_values": ["NULL"]},
        columns={
            "spell_id": "SPELL_NO",
            "site_code": "SITE",
            "admission_at": "ADMIT_DTTM",
            "discharge_at": "DISCH_DTTM",
            "admission_method": "ADMIMETH",
            "admission_source": "ADMISORC",
            "patient_class": "CLASSPAT",
            "treatment_function": "MAINSPEF_TFC",
            "primary_diagnosis": "DIAG_01",
            "primary_procedure": "OPER_01",
            "hrg": "SPELL_HRG",
            "discharge_method": "DISMETH",
            "discharge_destination": "DISDEST",
            "discharge_ready_date": "DISCH_READY_DT",
            "discharge_pathway": "DISCH_PATHWAY",
        },
        date_formats={**_ts(_APC_TS, "admission_at", "discharge_at"),
                      "discharge_ready_date": "%Y-%m-%d", "procedure_date": "%Y-%m-%d",
                      "date_of_birth": "%Y-%m-%d"},
        nhs_number="NHS_NO",
        local_id="PAS_ID",
        postcode="PT_POSTCODE",
        date_of_birth="PT_DOB",
        drop=("PT_NAME", "PT_ADDRESS"),
        record_key=("SPELL_NO",),
        version="CDS_EXTRACT_DTTM",
        unpivot=(
            Unpivot(table="apc_diagnosis", value="icd10_code",
                    columns=tuple(f"DIAG_{i:02d}" for i in range(1, 7)),
                    key={"spell_id": "SPELL_NO"}),
            Unpivot(table="apc_procedure", value="opcs4_code",
                    columns=tuple(f"OPER_{i:02d}" for i in range(1, 5)),
                    key={"spell_id": "SPELL_NO"},
                    parallel={"procedure_date": tuple(f"OPDATE_{i:02d}" for i in range(1, 5))}),
        ),
        time_order=(("admission_at", "discharge_at"),),
    ),
    Feed(
        name="raj_opa",
        table="op_appointment",
        org_code=TRUST,
        format="parquet",
        description="Trust outpatient appointments (SUS OP style), monthly Parquet with dates "
                    "as YYYYMMDD text and CDS attendance codes.",
        columns={
            "appointment_id": "APPT_ID",
            "site_code": "SITE_CODE",
            "appointment_date": "APPT_DATE",
            "attendance_status": "ATTENDED_DNA",
            "first_attendance": "FIRST_ATTENDANCE",
            "medium": "CONSULT_MEDIUM",
            "treatment_function": "TFC",
            "priority": "PRIORITY_TYPE",
            "referral_date": "REFERRAL_RECEIVED_DATE",
            "rtt_pathway_id": "RTT_PATHWAY_ID",
        },
        date_formats={"appointment_date": "%Y%m%d", "referral_date": "%Y%m%d",
                      "date_of_birth": "%Y%m%d"},
        value_maps={
            "attendance_status": {"5": "attended", "6": "attended", "3": "dna", "7": "dna",
                                  "2": "cancelled_patient", "4": "cancelled_provider"},
            "first_attendance": {"1": "true", "2": "false"},
            "medium": {"01": "face_to_face", "02": "telephone", "04": "video"},
        },
        nhs_number="NHS_NUMBER",
        local_id="LOCAL_PATIENT_ID",
        postcode="POSTCODE",
        date_of_birth="DOB",
        drop=("PATIENT_NAME",),
        record_key=("APPT_ID",),
        version="EXTRACT_TS",
        time_order=(("referral_date", "appointment_date"),),
    ),
    Feed(
        name="raj_rtt",
        table="rtt_pathway",
        org_code=TRUST,
        format="csv",
        description="Trust RTT patient tracking list (PTL): monthly snapshot at the census date "
                    "(last day of the month) of open pathways plus those stopped that month. "
                    "Windows-1252 text; pathways repeat from month to month (snapshot).",
        read_options={"delimiter": ",", "encoding": "cp1252", "header": True, "quote": '"'},
        columns={
            "rtt_pathway_id": "PATHWAY_ID",
            "treatment_function": "SPECIALTY_TFC",
            "clock_start_date": "RTT_START_DATE",
            "clock_stop_date": "RTT_STOP_DATE",
            "stop_reason": "STOP_REASON",
        },
        date_formats={"clock_start_date": "%d/%m/%Y", "clock_stop_date": "%d/%m/%Y",
                      "date_of_birth": "%d/%m/%Y"},
        value_maps={"stop_reason": {"30": "admitted", "31": "non_admitted",
                                    "35": "validated_removal"}},
        nhs_number="NHS_NUMBER",
        local_id="PAS_NUMBER",
        postcode="POSTCODE",
        date_of_birth="BIRTH_DATE",
        drop=("SURNAME", "FORENAME"),
        record_key=("PATHWAY_ID",),
        version="CENSUS_DATE",
        time_order=(("clock_start_date", "clock_stop_date"),),
        snapshot=True,
    ),
    Feed(
        name="raj_cwt",
        table="cancer_pathway",
        org_code=TRUST,
        format="csv",
        description="Trust cancer waiting times tracker: one row per urgent suspected cancer "
                    "referral, in the file of its referral month, with milestones as known at "
                    "the end of the extract period. Semicolon-delimited.",
        read_options={"delimiter": ";", "encoding": "utf-8", "header": True, "quote": '"'},
        columns={
            "cancer_pathway_id": "CWT_ID",
            "referral_date": "DATE_FIRST_SEEN_REFERRAL",
            "tumour_site": "SUSPECTED_CANCER_TYPE",
            "diagnosis_date": "FDS_PATHWAY_END_DATE",
            "cancer_confirmed": "FDS_OUTCOME",
            "decision_to_treat_date": "DTT_DATE",
            "first_treatment_date": "TREATMENT_START_DATE",
        },
        date_formats={"referral_date": "%Y-%m-%d", "diagnosis_date": "%Y-%m-%d",
                      "decision_to_treat_date": "%Y-%m-%d", "first_treatment_date": "%Y-%m-%d",
                      "date_of_birth": "%Y-%m-%d"},
        value_maps={"cancer_confirmed": {"C": "true", "R": "false"}},
        nhs_number="NHS_NUMBER",
        local_id="HOSPITAL_NUMBER",
        postcode="POSTCODE",
        date_of_birth="DOB",
        drop=("PATIENT_NAME",),
        record_key=("CWT_ID",),
        version="LAST_UPDATED",
        time_order=(("referral_date", "diagnosis_date"),
                    ("decision_to_treat_date", "first_treatment_date")),
    ),
    Feed(
        name="raj_beds",
        table="bed_daily",
        org_code=TRUST,
        format="csv",
        description="Trust daily bed state (sitrep), one row per site and day, monthly CSV; a "
                    "resubmitted day carries a later SubmittedAt.",
        read_options={"delimiter": ",", "encoding": "utf-8", "header": True, "quote": '"'},
        columns={
            "site_code": "SiteCode",
            "snapshot_date": "SitrepDate",
            "ga_beds_available": "GA_BedsOpen",
            "ga_beds_occupied": "GA_BedsOccupied",
            "escalation_beds": "EscalationBedsOpen",
            "no_criteria_to_reside": "PatientsNoCriteriaToReside",
        },
        date_formats={"snapshot_date": "%Y%m%d"},
        record_key=("SiteCode", "SitrepDate"),
        version="SubmittedAt",
    ),
    # Ambulance trust (RYC) --------------------------------------------------------------------
    Feed(
        name="ryc_cad",
        table="ambulance_incident",
        org_code=AMBULANCE,
        format="jsonl",
        description="Ambulance incidents from the CAD system, monthly JSON lines; the patient's "
                    "NHS number is often unknown at the scene.",
        read_options={"encoding": "utf-8"},
        columns={
            "incident_id": "incidentNumber",
            "call_connect_at": "callConnect",
            "category": "responseCategory",
            "first_arrival_at": "firstResourceOnScene",
            "clock_stop_at": "clockStop",
            "outcome": "outcome",
            "destination_site_code": "destinationSite",
            "hospital_arrival_at": "atHospital",
            "handover_at": "handover",
        },
        date_formats={**_ts("%Y-%m-%dT%H:%M:%S", "call_connect_at", "first_arrival_at",
                            "clock_stop_at", "hospital_arrival_at", "handover_at"),
                      "date_of_birth": "%Y-%m-%d"},
        value_maps={"category": {"1": "C1", "2": "C2", "3": "C3", "4": "C4"},
                    "outcome": {"HT": "hear_and_treat", "STR": "see_and_treat",
                                "STC-ED": "conveyed_ed", "STC-OTH": "conveyed_other"}},
        nhs_number="patientNhsNumber",
        local_id="incidentNumber",
        postcode="incidentPostcode",
        date_of_birth="patientDob",
        drop=("patientName", "incidentAddress"),
        record_key=("incidentNumber",),
        version="lastModified",
        time_order=(("call_connect_at", "first_arrival_at"),
                    ("hospital_arrival_at", "handover_at")),
    ),
    # Community and mental health provider (R1L) -------------------------------------------------
    Feed(
        name="r1l_csds_referrals",
        table="community_referral",
        org_code=COMMUNITY_MH,
        format="csv",
        description="Community services referrals (CSDS style), monthly tab-separated text.",
        read_options={"delimiter": "\t", "encoding": "utf-8", "header": True, "quote": '"'},
        columns={"referral_id": "ServiceRequestId", "referral_date": "ReferralRequestReceivedDate",
                 "team_type": "TeamType", "discharge_date": "ServDischDate"},
        date_formats={"referral_date": "%d-%m-%Y", "discharge_date": "%d-%m-%Y",
                      "date_of_birth": "%d-%m-%Y"},
        nhs_number="NHSNumber",
        local_id="LocalPatientId",
        postcode="Postcode",
        date_of_birth="PersonBirthDate",
        drop=("PersonName",),
        record_key=("ServiceRequestId",),
        version="RecordLastUpdated",
        time_order=(("referral_date", "discharge_date"),),
    ),
    Feed(
        name="r1l_csds_contacts",
        table="community_contact",
        org_code=COMMUNITY_MH,
        format="csv",
        description="Community services care contacts (CSDS style), monthly tab-separated text.",
        read_options={"delimiter": "\t", "encoding": "utf-8", "header": True, "quote": '"'},
        columns={"contact_id": "CareContactId", "referral_id": "ServiceRequestId",
                 "contact_at": "CareContactDateTime", "attended": "AttendOrDNACode",
                 "medium": "ConsMediumUsed"},
        date_formats={"contact_at": "%d-%m-%Y %H:%M"},
        value_maps={"attended": _CDS_ATTENDED,
                    "medium": {"01": "face_to_face", "02": "telephone", "04": "video"}},
        nhs_number="NHSNumber",
        local_id="LocalPatientId",
        record_key=("CareContactId",),
        version="RecordLastUpdated",
    ),
    Feed(
        name="r1l_mhsds_referrals",
        table="mh_referral",
        org_code=COMMUNITY_MH,
        format="parquet",
        description="Mental health referrals (MHSDS style), monthly Parquet, native dates.",
        columns={"referral_id": "UniqServReqID", "referral_date": "ReferralRequestReceivedDate",
                 "service_type": "ServTeamTypeRefToMH", "discharge_date": "ServDischDate"},
        nhs_number="NHSNumber",
        local_id="LocalPatientId",
        postcode="Postcode",
        date_of_birth="PersonBirthDate",
        drop=("PersonName",),
        record_key=("UniqServReqID",),
        version="RecordLastUpdated",
        time_order=(("referral_date", "discharge_date"),),
    ),
    Feed(
        name="r1l_mhsds_contacts",
        table="mh_contact",
        org_code=COMMUNITY_MH,
        format="parquet",
        description="Mental health care contacts (MHSDS style), monthly Parquet, native times.",
        columns={"contact_id": "UniqCareContID", "referral_id": "UniqServReqID",
                 "contact_at": "CareContDateTime", "attended": "AttendOrDNACode",
                 "medium": "ConsMechanismMH"},
        value_maps={"attended": _CDS_ATTENDED,
                    "medium": {"01": "face_to_face", "02": "telephone", "11": "video"}},
        nhs_number="NHSNumber",
        local_id="LocalPatientId",
        record_key=("UniqCareContID",),
        version="RecordLastUpdated",
    ),
    Feed(
        name="r1l_mhsds_spells",
        table="mh_spell",
        org_code=COMMUNITY_MH,
        format="parquet",
        description="Mental health hospital spells (MHSDS style), monthly Parquet, native dates.",
        columns={"spell_id": "UniqHospProvSpellID", "admission_date": "StartDateHospProvSpell",
                 "discharge_date": "DischDateHospProvSpell"},
        nhs_number="NHSNumber",
        local_id="LocalPatientId",
        postcode="Postcode",
        date_of_birth="PersonBirthDate",
        drop=("PersonName",),
        record_key=("UniqHospProvSpellID",),
        version="RecordLastUpdated",
        time_order=(("admission_date", "discharge_date"),),
    ),
    # GP practices: supplier A writes CSV, supplier B writes JSON lines ---------------------------
    Feed(
        name="gpa_registrations",
        table="gp_registration",
        org_code=ICB,
        format="csv",
        description="GP system supplier A: registration snapshot at the end of the extract "
                    "period for its practices (current and ended registrations, with "
                    "demographics, death date and National Data Opt-out). The person table is "
                    "built from it.",
        read_options={"delimiter": ",", "encoding": "utf-8", "header": True, "quote": '"'},
        columns={"practice_code": "OrganisationCode", "start_date": "RegistrationStartDate",
                 "end_date": "RegistrationEndDate"},
        person={"sex": "Sex", "death_date": "DateOfDeath", "opt_out": "NationalDataOptOut"},
        date_formats={"start_date": "%d/%m/%Y", "end_date": "%d/%m/%Y",
                      "death_date": "%d/%m/%Y", "date_of_birth": "%d/%m/%Y"},
        value_maps={"sex": _SEX_MF, "opt_out": _YES_NO},
        nhs_number="NhsNumber",
        local_id="PatientGuid",
        postcode="Postcode",
        date_of_birth="DateOfBirth",
        drop=("Forenames", "Surname", "AddressLine1", "TelephoneNumber"),
        record_key=("PatientGuid", "OrganisationCode", "RegistrationStartDate"),
        version="ExtractDate",
        time_order=(("start_date", "end_date"),),
        snapshot=True,
    ),
    Feed(
        name="gpa_events",
        table="gp_event",
        org_code=ICB,
        format="csv",
        description="GP system supplier A: coded events (SNOMED CT) with values, monthly CSV; "
                    "the first month also carries each patient's coded history.",
        read_options={"delimiter": ",", "encoding": "utf-8", "header": True, "quote": '"'},
        columns={"event_date": "EffectiveDate", "snomed_code": "SnomedCTConceptId",
                 "value": "NumericValue", "practice_code": "OrganisationCode"},
        date_formats={"event_date": "%d/%m/%Y"},
        nhs_number="NhsNumber",
        local_id="PatientGuid",
        record_key=("ObservationGuid",),
    ),
    Feed(
        name="gpa_medications",
        table="gp_medication",
        org_code=ICB,
        format="csv",
        description="GP system supplier A: medication issues (dm+d), monthly CSV.",
        read_options={"delimiter": ",", "encoding": "utf-8", "header": True, "quote": '"'},
        columns={"issue_date": "IssueDate", "dmd_code": "DmdCode", "quantity": "Quantity",
                 "practice_code": "OrganisationCode"},
        date_formats={"issue_date": "%d/%m/%Y"},
        nhs_number="NhsNumber",
        local_id="PatientGuid",
        record_key=("IssueRecordGuid",),
    ),
    Feed(
        name="gpa_appointments",
        table="gp_appointment",
        org_code=ICB,
        format="csv",
        description="GP system supplier A: appointments, monthly CSV.",
        read_options={"delimiter": ",", "encoding": "utf-8", "header": True, "quote": '"'},
        columns={"practice_code": "OrganisationCode", "booked_at": "BookedDate",
                 "start_at": "StartDate", "status": "Status", "mode": "SessionType",
                 "staff_type": "ClinicianRole"},
        date_formats=_ts("%d/%m/%Y %H:%M", "booked_at", "start_at"),
        value_maps={"status": {"Finished": "attended", "Did Not Attend": "dna",
                               "Cancelled by Patient": "cancelled",
                               "Cancelled by Unit": "cancelled"},
                    "mode": {"Face To Face": "face_to_face", "Telephone": "telephone",
                             "Video Conference": "video", "Home Visit": "home_visit"},
                    "staff_type": {"GP": "gp", "Nurse": "nurse", "HCA": "other_clinical",
                                   "Pharmacist": "other_clinical", "Admin": "admin"}},
        nhs_number="NhsNumber",
        local_id="PatientGuid",
        record_key=("AppointmentGuid",),
        version="LastUpdated",
        time_order=(("booked_at", "start_at"),),
    ),
    Feed(
        name="gpb_registrations",
        table="gp_registration",
        org_code=ICB,
        format="jsonl",
        description="GP system supplier B: registration snapshot at the end of the extract "
                    "period (JSON lines), with demographics, death date and opt-out.",
        read_options={"encoding": "utf-8"},
        columns={"practice_code": "ODSCode", "start_date": "DateRegistered",
                 "end_date": "DateDeregistered"},
        person={"sex": "Gender", "death_date": "DateOfDeath", "opt_out": "Type1OptOut"},
        date_formats={"start_date": "%Y-%m-%d", "end_date": "%Y-%m-%d",
                      "death_date": "%Y-%m-%d", "date_of_birth": "%Y-%m-%d"},
        value_maps={"sex": {"Male": "M", "Female": "F", "Unknown": "U", "Indeterminate": "U"},
                    "opt_out": _ONE_ZERO},
        nhs_number="NHSNumber",
        local_id="IDPatient",
        postcode="PostCode",
        date_of_birth="DOB",
        drop=("FirstName", "Surname", "HouseNameFlatNumber", "MobileNumber"),
        record_key=("IDPatient", "ODSCode", "DateRegistered"),
        version="DateExtracted",
        time_order=(("start_date", "end_date"),),
        snapshot=True,
    ),
    Feed(
        name="gpb_events",
        table="gp_event",
        org_code=ICB,
        format="jsonl",
        description="GP system supplier B: coded events (SNOMED CT), monthly JSON lines; the "
                    "first month also carries each patient's coded history.",
        read_options={"encoding": "utf-8"},
        columns={"event_date": "DateEvent", "snomed_code": "CTV3SnomedCode",
                 "value": "NumericValue", "practice_code": "ODSCode"},
        date_formats={"event_date": "%Y-%m-%d"},
        nhs_number="NHSNumber",
        local_id="IDPatient",
        record_key=("RowIdentifier",),
    ),
    Feed(
        name="gpb_medications",
        table="gp_medication",
        org_code=ICB,
        format="jsonl",
        description="GP system supplier B: medication issues (dm+d), monthly JSON lines.",
        read_options={"encoding": "utf-8"},
        columns={"issue_date": "DateMedicationIssued", "dmd_code": "DMDCode",
                 "quantity": "MedicationQuantity", "practice_code": "ODSCode"},
        date_formats={"issue_date": "%Y-%m-%d"},
        nhs_number="NHSNumber",
        local_id="IDPatient",
        record_key=("RowIdentifier",),
    ),
    Feed(
        name="gpb_appointments",
        table="gp_appointment",
        org_code=ICB,
        format="jsonl",
        description="GP system supplier B: appointments, monthly JSON lines.",
        read_options={"encoding": "utf-8"},
        columns={"practice_code": "ODSCode", "booked_at": "DateBooked",
                 "start_at": "DateStart", "status": "AppointmentStatus",
                 "mode": "DeliveryMechanism", "staff_type": "StaffRole"},
        date_formats=_ts("%Y-%m-%dT%H:%M:%S", "booked_at", "start_at"),
        value_maps={"status": {"Finished": "attended", "Did not attend": "dna",
                               "Cancelled": "cancelled"},
                    "mode": {"In person": "face_to_face", "Telephone": "telephone",
                             "Video": "video", "Home visit": "home_visit"},
                    "staff_type": {"Doctor": "gp", "Nurse": "nurse", "Other clinical":
                                   "other_clinical", "Non-clinical": "admin"}},
        nhs_number="NHSNumber",
        local_id="IDPatient",
        record_key=("RowIdentifier",),
        version="DateLastAmended",
        time_order=(("booked_at", "start_at"),),
    ),
    # Adult social care: one feed per council, each its own way ----------------------------------
    Feed(
        name="ecc_asc",
        table="social_care_event",
        org_code=ESSEX_CC,
        format="csv",
        description="Essex County Council adult social care client-level events, monthly CSV.",
        read_options={"delimiter": ",", "encoding": "utf-8", "header": True, "quote": '"'},
        columns={"event_id": "Event ID", "event_type": "Event Type", "start_date": "Start Date",
                 "end_date": "End Date", "service_type": "Service Type",
                 "support_reason": "Primary Support Reason", "cost": "Weekly Cost"},
        date_formats={"start_date": "%d/%m/%Y", "end_date": "%d/%m/%Y",
                      "date_of_birth": "%d/%m/%Y"},
        value_maps={"event_type": {"Request": "request", "Assessment": "assessment",
                                   "Service": "service", "Review": "review"}},
        nhs_number="NHS Number",
        local_id="Client ID",
        postcode="Postcode",
        date_of_birth="Date of Birth",
        drop=("Client Name", "Address"),
        record_key=("Event ID",),
        version="Last Modified",
        time_order=(("start_date", "end_date"),),
    ),
    Feed(
        name="sos_asc",
        table="social_care_event",
        org_code=SOUTHEND,
        format="csv",
        description="Southend-on-Sea City Council adult social care events, monthly "
                    "semicolon-separated Windows-1252 text with YYYYMMDD dates.",
        read_options={"delimiter": ";", "encoding": "cp1252", "header": True, "quote": '"',
                      "null_values": ["N/A"]},
        columns={"event_id": "EVENT_REF", "event_type": "EVENT_CODE", "start_date": "START_DT",
                 "end_date": "END_DT", "service_type": "SERVICE", "support_reason": "PSR",
                 "cost": "COST_GBP"},
        date_formats={"start_date": "%Y%m%d", "end_date": "%Y%m%d", "date_of_birth": "%Y%m%d"},
        value_maps={"event_type": {"REQ": "request", "ASS": "assessment", "SRV": "service",
                                   "REV": "review"}},
        nhs_number="NHS_NO",
        local_id="PERSON_REF",
        postcode="POST_CODE",
        date_of_birth="DOB",
        drop=("FULL_NAME",),
        record_key=("EVENT_REF",),
        version="UPDATED_TS",
        time_order=(("start_date", "end_date"),),
    ),
    Feed(
        name="thurrock_asc",
        table="social_care_event",
        org_code=THURROCK,
        format="jsonl",
        description="Thurrock Council adult social care events, monthly JSON lines.",
        read_options={"encoding": "utf-8"},
        columns={"event_id": "eventId", "event_type": "type", "start_date": "startDate",
                 "end_date": "endDate", "service_type": "serviceType",
                 "support_reason": "primarySupportReason", "cost": "costPerWeek"},
        date_formats={"start_date": "%Y-%m-%d", "end_date": "%Y-%m-%d",
                      "date_of_birth": "%Y-%m-%d"},
        value_maps={"event_type": {"CONTACT": "request", "ASSESSMENT": "assessment",
                                   "SERVICE": "service", "REVIEW": "review"}},
        nhs_number="nhsNumber",
        local_id="personId",
        postcode="postcode",
        date_of_birth="dateOfBirth",
        drop=("name",),
        record_key=("eventId",),
        version="modified",
        time_order=(("start_date", "end_date"),),
    ),
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
