"""The common data model, defined once.

Each table of the store is declared here with its columns' types, descriptions and constraints.
Everything else is driven from these declarations: the DDL (`ddl()`), the data catalogue, data
quality checks, and the synthetic feeds. Codes are native (SNOMED CT, ICD-10, OPCS-4, dm+d, ODS,
ONS); people are identified only by `person_id`, a pseudonym (see `agora.pseudo`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Column:
    name: str
    type: str                      # DuckDB type
    description: str
    required: bool = False         # NOT NULL
    allowed: tuple | None = None   # permitted values
    min: float | None = None
    max: float | None = None
    pattern: str | None = None     # regular expression the value must match


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    kind: str = "activity"         # person | activity | reference | derived | operational
    primary_key: tuple[str, ...] = ()
    lineage: bool = True           # carries source_org_code, load_batch_id, loaded_at

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return self.columns + (LINEAGE if self.lineage else ())

    def column(self, name: str) -> Column:
        for c in self.all_columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    def ddl(self) -> str:
        cols = [f'"{c.name}" {c.type}{" NOT NULL" if c.required else ""}' for c in self.all_columns]
        if self.primary_key:
            cols.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in self.primary_key) + ")")
        return f'CREATE TABLE IF NOT EXISTS "{self.name}" (\n  ' + ",\n  ".join(cols) + "\n)"


LINEAGE = (
    Column("source_org_code", "VARCHAR", "ODS or ONS code of the organisation that sent the row.",
           required=True),
    Column("load_batch_id", "BIGINT", "The load_batch that brought the row into the store.",
           required=True),
    Column("loaded_at", "TIMESTAMP", "When the row was loaded.", required=True),
)

# Shared column shapes --------------------------------------------------------------------------
SEX = ("M", "F", "U")
PSEUDO_PATTERN = r"^[0-9a-f]{64}$"


def person_id(description: str = "Pseudonymised person: HMAC-SHA256 of the NHS number, or of "
              "org code + local ID when no valid NHS number was sent (see id_from_local).") -> Column:
    return Column("person_id", "VARCHAR", description, required=True, pattern=PSEUDO_PATTERN)


def id_from_local() -> Column:
    return Column("id_from_local", "BOOLEAN",
                  "True when person_id was tokenised from org code + local ID (no valid NHS "
                  "number); such ids live in a separate namespace and do not link across feeds.",
                  required=True)


def person_cols() -> tuple[Column, Column]:
    return person_id(), id_from_local()


def code(name: str, system: str, description: str, **kw) -> Column:
    return Column(name, "VARCHAR", f"{description} ({system}).", **kw)


# Tables ----------------------------------------------------------------------------------------
TABLES: tuple[Table, ...] = (
    Table("person", "One row per pseudonymised person registered with a practice of the "
          "partnership, from GP registrations: demographics reduced to what analysis needs.", (
        person_id(), id_from_local(),
        Column("sex", "VARCHAR", "Sex: M, F or U (unknown).", required=True, allowed=SEX),
        Column("birth_month", "DATE", "Month of birth (first day of the month); day dropped.",
               required=True),
        Column("lsoa_code", "VARCHAR", "LSOA 2021 of residence, from postcode.",
               pattern=r"^E01\d{6}$"),
        Column("practice_code", "VARCHAR", "ODS code of the registered GP practice.",
               pattern=r"^[A-Z]\d{5}$"),
        Column("death_date", "DATE", "Date of death, when known."),
        Column("opt_out", "BOOLEAN", "National Data Opt-out: excluded from secondary-use views.",
               required=True),
    ), kind="person", primary_key=("person_id",)),

    Table("gp_registration", "GP practice registrations (periods of registration).", (
        *person_cols(),
        Column("practice_code", "VARCHAR", "ODS code of the practice.", required=True,
               pattern=r"^[A-Z]\d{5}$"),
        Column("start_date", "DATE", "Registration start.", required=True),
        Column("end_date", "DATE", "Registration end (null while registered)."),
    )),
    Table("gp_event", "Coded clinical events recorded in GP practice systems.", (
        *person_cols(),
        Column("event_date", "DATE", "Date of the event.", required=True),
        code("snomed_code", "SNOMED CT", "Clinical code", required=True, pattern=r"^\d{6,18}$"),
        Column("value", "DOUBLE", "Numeric value (for example HbA1c mmol/mol, systolic BP)."),
        Column("practice_code", "VARCHAR", "Recording practice.", pattern=r"^[A-Z]\d{5}$"),
    )),
    Table("gp_medication", "Medication issues from GP practice systems.", (
        *person_cols(),
        Column("issue_date", "DATE", "Date issued.", required=True),
        code("dmd_code", "dm+d", "Medicine", required=True, pattern=r"^\d{6,18}$"),
        Column("quantity", "DOUBLE", "Quantity issued.", min=0),
        Column("practice_code", "VARCHAR", "Issuing practice.", pattern=r"^[A-Z]\d{5}$"),
    )),
    Table("gp_appointment", "GP practice appointments.", (
        *person_cols(),
        Column("practice_code", "VARCHAR", "Practice.", required=True, pattern=r"^[A-Z]\d{5}$"),
        Column("booked_at", "TIMESTAMP", "When the appointment was booked."),
        Column("start_at", "TIMESTAMP", "Appointment start.", required=True),
        Column("status", "VARCHAR", "Attended, DNA or cancelled.", required=True,
               allowed=("attended", "dna", "cancelled")),
        Column("mode", "VARCHAR", "Face to face, telephone, video, home visit.",
               allowed=("face_to_face", "telephone", "video", "home_visit")),
        Column("staff_type", "VARCHAR", "GP, nurse, other clinical, admin.",
               allowed=("gp", "nurse", "other_clinical", "admin")),
    )),
    Table("ae_attendance", "A&E attendances (Emergency Care Data Set).", (
        Column("attendance_id", "VARCHAR", "Provider attendance identifier.", required=True),
        *person_cols(),
        Column("site_code", "VARCHAR", "ODS site code.", required=True, pattern=r"^[A-Z0-9]{5}$"),
        Column("department_type", "VARCHAR", "Department type 01-05 (01 = major/type 1).",
               required=True, allowed=("01", "02", "03", "04", "05")),
        Column("arrival_mode", "VARCHAR", "Ambulance or walk-in/other.",
               allowed=("ambulance", "walk_in", "other")),
        Column("arrival_at", "TIMESTAMP", "Arrival.", required=True),
        Column("initial_assessment_at", "TIMESTAMP", "Initial assessment."),
        Column("seen_at", "TIMESTAMP", "Seen by a clinician."),
        Column("decision_to_admit_at", "TIMESTAMP", "Decision to admit."),
        Column("clinically_ready_at", "TIMESTAMP", "Clinically ready to proceed."),
        Column("departure_at", "TIMESTAMP", "Departure (null when not yet departed)."),
        Column("acuity", "INTEGER", "Acuity 1 (immediate) - 5 (non-urgent).", min=1, max=5),
        code("chief_complaint", "SNOMED CT", "Chief complaint", pattern=r"^\d{6,18}$"),
        code("diagnosis", "SNOMED CT", "Primary diagnosis", pattern=r"^\d{6,18}$"),
        Column("discharge_destination", "VARCHAR", "Admitted, home, transferred, died, other.",
               allowed=("admitted", "home", "transferred", "died", "other")),
        Column("ambulance_incident_id", "VARCHAR", "Linked ambulance CAD incident."),
        Column("age_at_arrival", "INTEGER", "Age in whole years at arrival.", min=0, max=120),
    ), primary_key=("attendance_id", "source_org_code")),
    Table("apc_spell", "Admitted patient care spells (SUS/HES APC).", (
        Column("spell_id", "VARCHAR", "Provider spell identifier.", required=True),
        *person_cols(),
        Column("site_code", "VARCHAR", "ODS site code.", pattern=r"^[A-Z0-9]{5}$"),
        Column("admission_at", "TIMESTAMP", "Admission.", required=True),
        Column("discharge_at", "TIMESTAMP", "Discharge (null while in hospital)."),
        Column("admission_method", "VARCHAR", "11-13 elective, 21-2D emergency, others.",
               required=True, pattern=r"^(1[1-3]|2[1-8A-D]|3[1-2]|8[1-3])$"),
        Column("admission_source", "VARCHAR", "Source of admission code."),
        Column("patient_class", "VARCHAR", "1 ordinary, 2 day case.", allowed=("1", "2", "3", "4")),
        Column("treatment_function", "VARCHAR", "Main specialty treatment function code.",
               pattern=r"^\d{3}$"),
        code("primary_diagnosis", "ICD-10", "Primary diagnosis", pattern=r"^[A-Z]\d{2}"),
        code("primary_procedure", "OPCS-4", "Main procedure", pattern=r"^[A-Z]\d{2}"),
        Column("hrg", "VARCHAR", "Healthcare Resource Group."),
        Column("discharge_method", "VARCHAR", "Discharge method code."),
        Column("discharge_destination", "VARCHAR", "Discharge destination code."),
        Column("discharge_ready_date", "DATE", "Date the patient no longer met criteria to reside."),
        Column("discharge_pathway", "INTEGER", "Discharge pathway 0-3.", min=0, max=3),
        Column("is_emergency", "BOOLEAN", "Admission method 21-2D.", required=True),
        Column("age_on_admission", "INTEGER", "Age in whole years on admission.", min=0, max=120),
    ), primary_key=("spell_id", "source_org_code")),
    Table("apc_diagnosis", "Diagnoses of a spell (ICD-10), position 1 = primary.", (
        Column("spell_id", "VARCHAR", "Spell.", required=True),
        Column("position", "INTEGER", "Diagnosis position.", required=True, min=1),
        code("icd10_code", "ICD-10", "Diagnosis", required=True, pattern=r"^[A-Z]\d{2}"),
    )),
    Table("apc_procedure", "Procedures of a spell (OPCS-4), position 1 = main.", (
        Column("spell_id", "VARCHAR", "Spell.", required=True),
        Column("position", "INTEGER", "Procedure position.", required=True, min=1),
        code("opcs4_code", "OPCS-4", "Procedure", required=True, pattern=r"^[A-Z]\d{2}"),
        Column("procedure_date", "DATE", "Procedure date."),
    )),
    Table("op_appointment", "Outpatient appointments (SUS/HES OP).", (
        Column("appointment_id", "VARCHAR", "Provider appointment identifier.", required=True),
        *person_cols(),
        Column("site_code", "VARCHAR", "ODS site code.", pattern=r"^[A-Z0-9]{5}$"),
        Column("appointment_date", "DATE", "Appointment date.", required=True),
        Column("attendance_status", "VARCHAR", "attended, dna, cancelled_patient, "
               "cancelled_provider.", required=True,
               allowed=("attended", "dna", "cancelled_patient", "cancelled_provider")),
        Column("first_attendance", "BOOLEAN", "First (true) or follow-up (false)."),
        Column("medium", "VARCHAR", "face_to_face, telephone, video.",
               allowed=("face_to_face", "telephone", "video")),
        Column("treatment_function", "VARCHAR", "Treatment function code.", pattern=r"^\d{3}$"),
        Column("priority", "VARCHAR", "1 routine, 2 urgent, 3 two-week-wait cancer.",
               allowed=("1", "2", "3")),
        Column("referral_date", "DATE", "Referral received."),
        Column("rtt_pathway_id", "VARCHAR", "Referral-to-treatment pathway."),
    ), primary_key=("appointment_id", "source_org_code")),
    Table("rtt_pathway", "Referral-to-treatment pathways (waiting list), one row per pathway.", (
        Column("rtt_pathway_id", "VARCHAR", "Pathway identifier.", required=True),
        *person_cols(),
        Column("treatment_function", "VARCHAR", "Treatment function code.", required=True,
               pattern=r"^\d{3}$"),
        Column("clock_start_date", "DATE", "Referral receipt (clock start).", required=True),
        Column("clock_stop_date", "DATE", "First definitive treatment or other stop (null = "
               "incomplete pathway)."),
        Column("stop_reason", "VARCHAR", "admitted, non_admitted, validated_removal.",
               allowed=("admitted", "non_admitted", "validated_removal")),
    ), primary_key=("rtt_pathway_id", "source_org_code")),
    Table("cancer_pathway", "Cancer waiting times pathways.", (
        Column("cancer_pathway_id", "VARCHAR", "Pathway identifier.", required=True),
        *person_cols(),
        Column("referral_date", "DATE", "Urgent suspected cancer referral received.",
               required=True),
        Column("tumour_site", "VARCHAR", "Suspected tumour site group."),
        Column("diagnosis_date", "DATE", "Diagnosis communicated or cancer ruled out (FDS stop)."),
        Column("cancer_confirmed", "BOOLEAN", "Cancer diagnosed (true) or ruled out (false)."),
        Column("decision_to_treat_date", "DATE", "Decision to treat (31-day start)."),
        Column("first_treatment_date", "DATE", "First definitive treatment."),
    ), primary_key=("cancer_pathway_id", "source_org_code")),
    Table("ambulance_incident", "Ambulance incidents (CAD).", (
        Column("incident_id", "VARCHAR", "CAD incident number.", required=True),
        Column("person_id", "VARCHAR", "Pseudonymised person (null when not identified).",
               pattern=PSEUDO_PATTERN),
        Column("id_from_local", "BOOLEAN", "person_id tokenised from the incident number."),
        Column("call_connect_at", "TIMESTAMP", "Call connect (clock start).", required=True),
        Column("category", "VARCHAR", "Response category C1-C4.", required=True,
               allowed=("C1", "C2", "C3", "C4")),
        Column("first_arrival_at", "TIMESTAMP", "First resource on scene."),
        Column("clock_stop_at", "TIMESTAMP", "Response clock stop."),
        Column("outcome", "VARCHAR", "hear_and_treat, see_and_treat, conveyed_ed, "
               "conveyed_other.", required=True,
               allowed=("hear_and_treat", "see_and_treat", "conveyed_ed", "conveyed_other")),
        Column("destination_site_code", "VARCHAR", "Receiving site.", pattern=r"^[A-Z0-9]{5}$"),
        Column("hospital_arrival_at", "TIMESTAMP", "Arrival at hospital."),
        Column("handover_at", "TIMESTAMP", "Handover to hospital staff."),
    ), primary_key=("incident_id", "source_org_code")),
    Table("community_referral", "Community services referrals (CSDS).", (
        Column("referral_id", "VARCHAR", "Referral identifier.", required=True),
        *person_cols(),
        Column("referral_date", "DATE", "Referral received.", required=True),
        Column("team_type", "VARCHAR", "Community team type."),
        Column("discharge_date", "DATE", "Discharged from the service."),
    )),
    Table("community_contact", "Community services care contacts (CSDS).", (
        Column("contact_id", "VARCHAR", "Contact identifier.", required=True),
        *person_cols(),
        Column("referral_id", "VARCHAR", "Referral."),
        Column("contact_at", "TIMESTAMP", "Contact date and time.", required=True),
        Column("attended", "BOOLEAN", "Attended."),
        Column("medium", "VARCHAR", "face_to_face, telephone, video.",
               allowed=("face_to_face", "telephone", "video")),
    )),
    Table("mh_referral", "Mental health services referrals (MHSDS).", (
        Column("referral_id", "VARCHAR", "Referral identifier.", required=True),
        *person_cols(),
        Column("referral_date", "DATE", "Referral received.", required=True),
        Column("service_type", "VARCHAR", "Service or team type."),
        Column("discharge_date", "DATE", "Discharged."),
    )),
    Table("mh_contact", "Mental health care contacts (MHSDS).", (
        Column("contact_id", "VARCHAR", "Contact identifier.", required=True),
        *person_cols(),
        Column("referral_id", "VARCHAR", "Referral."),
        Column("contact_at", "TIMESTAMP", "Contact date and time.", required=True),
        Column("attended", "BOOLEAN", "Attended."),
        Column("medium", "VARCHAR", "face_to_face, telephone, video.",
               allowed=("face_to_face", "telephone", "video")),
    )),
    Table("mh_spell", "Mental health hospital spells (MHSDS).", (
        Column("spell_id", "VARCHAR", "Spell identifier.", required=True),
        *person_cols(),
        Column("admission_date", "DATE", "Admission.", required=True),
        Column("discharge_date", "DATE", "Discharge."),
    )),
    Table("social_care_event", "Adult social care client-level events (councils).", (
        Column("event_id", "VARCHAR", "Council event identifier.", required=True),
        *person_cols(),
        Column("event_type", "VARCHAR", "request, assessment, service, review.", required=True,
               allowed=("request", "assessment", "service", "review")),
        Column("start_date", "DATE", "Start.", required=True),
        Column("end_date", "DATE", "End."),
        Column("service_type", "VARCHAR", "Service type (long-term services)."),
        Column("support_reason", "VARCHAR", "Primary support reason."),
        Column("cost", "DOUBLE", "Weekly or event cost in pounds.", min=0),
    )),
    Table("bed_daily", "Daily bed state by site (hospital sitrep).", (
        Column("site_code", "VARCHAR", "ODS site code.", required=True, pattern=r"^[A-Z0-9]{5}$"),
        Column("snapshot_date", "DATE", "Day of the snapshot.", required=True),
        Column("ga_beds_available", "INTEGER", "General and acute beds available.", required=True,
               min=0),
        Column("ga_beds_occupied", "INTEGER", "General and acute beds occupied.", required=True,
               min=0),
        Column("escalation_beds", "INTEGER", "Escalation beds open.", min=0),
        Column("no_criteria_to_reside", "INTEGER", "Patients with no criteria to reside.", min=0),
    ), primary_key=("site_code", "snapshot_date")),

    # Reference tables -------------------------------------------------------------------------
    Table("ref_org", "Organisations of the partnership and their sites (ODS/ONS codes).", (
        Column("org_code", "VARCHAR", "ODS or ONS code.", required=True),
        Column("name", "VARCHAR", "Organisation name.", required=True),
        Column("org_type", "VARCHAR", "icb, trust, site, ambulance, mental_health, practice, pcn, "
               "council, voluntary.", required=True),
        Column("parent_code", "VARCHAR", "Parent (trust of a site, PCN of a practice)."),
        Column("district", "VARCHAR", "Local authority district."),
    ), kind="reference", primary_key=("org_code",), lineage=False),
    Table("ref_lsoa", "LSOA 2021 areas of the partnership with deprivation (IoD 2025).", (
        Column("lsoa_code", "VARCHAR", "LSOA 2021 code.", required=True, pattern=r"^E01\d{6}$"),
        Column("msoa_code", "VARCHAR", "MSOA 2021 code.", pattern=r"^E02\d{6}$"),
        Column("district", "VARCHAR", "Local authority district.", required=True),
        Column("imd_decile", "INTEGER", "IMD 2025 decile, 1 = most deprived.", required=True,
               min=1, max=10),
        Column("population", "INTEGER", "Resident population.", min=0),
    ), kind="reference", primary_key=("lsoa_code",), lineage=False),
    Table("ref_code", "Codes used in the store and their descriptions.", (
        Column("system", "VARCHAR", "snomed, icd10, opcs4, dmd, treatment_function.",
               required=True),
        Column("code", "VARCHAR", "Code.", required=True),
        Column("description", "VARCHAR", "Description.", required=True),
    ), kind="reference", primary_key=("system", "code"), lineage=False),
    Table("ref_codelist", "Versioned codelists (conditions, eFI deficits, CMS conditions).", (
        Column("codelist", "VARCHAR", "Codelist name, for example diabetes or efi_falls.",
               required=True),
        Column("version", "VARCHAR", "Codelist version.", required=True),
        Column("system", "VARCHAR", "Code system.", required=True),
        Column("code", "VARCHAR", "Code.", required=True),
    ), kind="reference", primary_key=("codelist", "version", "system", "code"), lineage=False),

    # Derived tables (rebuilt on each publish) ----------------------------------------------------
    Table("person_condition", "Long-term conditions per person from codelists.", (
        person_id(),
        Column("condition", "VARCHAR", "Condition (codelist name).", required=True),
        Column("first_date", "DATE", "Earliest recorded date."),
    ), kind="derived", lineage=False),
    Table("person_risk", "Population health measures per person.", (
        person_id(),
        Column("as_of", "DATE", "Reference date the measures were computed for."),
        Column("age", "INTEGER", "Age in years at the reference date."),
        Column("efi", "DOUBLE", "Electronic Frailty Index (65+).", min=0, max=1),
        Column("efi_deficits", "INTEGER", "eFI deficits present (of 36).", min=0, max=36),
        Column("frailty", "VARCHAR", "fit, mild, moderate, severe (65+).",
               allowed=("fit", "mild", "moderate", "severe")),
        Column("polypharmacy", "BOOLEAN", "5+ distinct drugs issued in the last 12 months."),
        Column("cms", "DOUBLE", "Cambridge Multimorbidity Score.", min=0),
        Column("ltc_count", "INTEGER", "Long-term conditions recorded (complex when 3+).", min=0),
        Column("segment", "VARCHAR", "Bridges to Health segment."),
        Column("prior_ae_12m", "INTEGER", "A&E attendances in the last 12 months.", min=0),
        Column("prior_emergency_12m", "INTEGER", "Emergency admissions in the last 12 months.",
               min=0),
        Column("risk_score", "DOUBLE", "Predicted 12-month emergency admission probability.",
               min=0, max=1),
        Column("risk_tier", "VARCHAR", "top_0_5, 0_5_to_5, 5_to_20, rest."),
        Column("ageing_well", "BOOLEAN", "In the Ageing Well cohort: 65+ with moderate or severe "
               "frailty or dementia, or end-of-life care coded in the last 12 months."),
    ), kind="derived", primary_key=("person_id",), lineage=False),

    # Operational tables ----------------------------------------------------------------------
    Table("load_batch", "One row per feed file loaded (or rejected): lineage and counts.", (
        Column("load_batch_id", "BIGINT", "Batch number.", required=True),
        Column("feed", "VARCHAR", "Feed name.", required=True),
        Column("source_org_code", "VARCHAR", "Sending organisation.", required=True),
        Column("file_name", "VARCHAR", "File name (no directory).", required=True),
        Column("file_sha256", "VARCHAR", "Content hash; the same file is never loaded twice.",
               required=True),
        Column("status", "VARCHAR", "loaded or rejected.", required=True,
               allowed=("loaded", "rejected")),
        Column("rows_received", "BIGINT", "Rows read from the file.", min=0),
        Column("rows_loaded", "BIGINT", "Rows written to model tables.", min=0),
        Column("rows_quarantined", "BIGINT", "Rows quarantined with a reason.", min=0),
        Column("error", "VARCHAR", "Why the file was rejected."),
        Column("started_at", "TIMESTAMP", "Load start.", required=True),
        Column("finished_at", "TIMESTAMP", "Load end."),
    ), kind="operational", primary_key=("load_batch_id",), lineage=False),
    Table("quarantine", "Rows that failed validation, by batch and reason; direct identifiers "
          "removed (the raw row is kept only in the restricted quarantine area).", (
        Column("load_batch_id", "BIGINT", "Batch.", required=True),
        Column("feed", "VARCHAR", "Feed.", required=True),
        Column("row_number", "BIGINT", "Row number in the file (1 = first data row).",
               required=True),
        Column("reason", "VARCHAR", "Validation rule that failed.", required=True),
    ), kind="operational", lineage=False),
    Table("dq_result", "Data quality check results per table and batch.", (
        Column("check_id", "VARCHAR", "Check name.", required=True),
        Column("table_name", "VARCHAR", "Table checked.", required=True),
        Column("load_batch_id", "BIGINT", "Batch checked (null = whole table)."),
        Column("rows_checked", "BIGINT", "Rows checked.", min=0),
        Column("rows_failed", "BIGINT", "Rows failing.", min=0),
        Column("checked_at", "TIMESTAMP", "When.", required=True),
    ), kind="operational", lineage=False),
    Table("dq_issue", "Data quality issues register (DQIR): log, triage, prioritise, fix.", (
        Column("issue_id", "BIGINT", "Issue number.", required=True),
        Column("title", "VARCHAR", "Summary.", required=True),
        Column("table_name", "VARCHAR", "Affected table."),
        Column("source_org_code", "VARCHAR", "Organisation responsible."),
        Column("status", "VARCHAR", "logged, triaged, prioritised, fixing, fixed, closed.",
               required=True,
               allowed=("logged", "triaged", "prioritised", "fixing", "fixed", "closed")),
        Column("priority", "VARCHAR", "low, medium, high.", allowed=("low", "medium", "high")),
        Column("raised_by", "VARCHAR", "Who logged it."),
        Column("raised_at", "TIMESTAMP", "When logged.", required=True),
        Column("updated_at", "TIMESTAMP", "Last change."),
        Column("notes", "VARCHAR", "Triage and fix notes."),
    ), kind="operational", primary_key=("issue_id",), lineage=False),
)

BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"no table {name!r} in the common data model") from None


def ddl(tables: Iterable[Table] = TABLES) -> list[str]:
    """CREATE TABLE statements for the given tables (all by default)."""
    return [t.ddl() for t in tables]
