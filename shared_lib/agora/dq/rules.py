"""Data quality rules beyond the model's own constraints: which optional columns are important
enough to measure completeness, cross-column consistency rules, and how often each feed is
expected to arrive. Everything else (required, allowed values, patterns, ranges) comes from the
column declarations in `agora.model`."""
from __future__ import annotations

from dataclasses import dataclass

# Optional columns whose completeness is still measured (analysis depends on them).
IMPORTANT: dict[str, tuple[str, ...]] = {
    "person": ("lsoa_code", "practice_code"),
    "ae_attendance": ("departure_at", "initial_assessment_at", "acuity", "discharge_destination",
                      "age_at_arrival"),
    "apc_spell": ("discharge_at", "primary_diagnosis", "treatment_function"),
    "op_appointment": ("treatment_function", "referral_date"),
    "ambulance_incident": ("first_arrival_at", "clock_stop_at"),
    "cancer_pathway": ("diagnosis_date",),
}


@dataclass(frozen=True)
class Consistency:
    name: str
    table: str
    fails_when: str          # SQL condition over the table's own columns (declared here only)
    columns: tuple[str, ...]
    description: str


CONSISTENCY: tuple[Consistency, ...] = (
    Consistency("departure_before_arrival", "ae_attendance", '"departure_at" < "arrival_at"',
                ("departure_at", "arrival_at"), "A&E departure recorded before arrival."),
    Consistency("assessment_before_arrival", "ae_attendance",
                '"initial_assessment_at" < "arrival_at"', ("initial_assessment_at", "arrival_at"),
                "Initial assessment recorded before arrival."),
    Consistency("discharge_before_admission", "apc_spell", '"discharge_at" < "admission_at"',
                ("discharge_at", "admission_at"), "Discharge recorded before admission."),
    Consistency("emergency_flag_mismatch", "apc_spell",
                '"is_emergency" <> (substr("admission_method", 1, 1) = \'2\')',
                ("is_emergency", "admission_method"),
                "is_emergency disagrees with an admission method of 21-2D."),
    Consistency("handover_before_arrival", "ambulance_incident",
                '"handover_at" < "hospital_arrival_at"', ("handover_at", "hospital_arrival_at"),
                "Ambulance handover recorded before arrival at hospital."),
    Consistency("arrival_before_call", "ambulance_incident",
                '"first_arrival_at" < "call_connect_at"', ("first_arrival_at", "call_connect_at"),
                "Resource on scene before the call connected."),
    Consistency("clock_stop_before_start", "rtt_pathway", '"clock_stop_date" < "clock_start_date"',
                ("clock_stop_date", "clock_start_date"), "RTT clock stopped before it started."),
    Consistency("treatment_before_referral", "cancer_pathway",
                '"first_treatment_date" < "referral_date"', ("first_treatment_date",
                                                             "referral_date"),
                "Cancer treatment before the referral."),
    Consistency("registration_end_before_start", "gp_registration", '"end_date" < "start_date"',
                ("end_date", "start_date"), "GP registration ends before it starts."),
    Consistency("occupied_above_available", "bed_daily",
                '"ga_beds_occupied" > "ga_beds_available" + coalesce("escalation_beds", 0)',
                ("ga_beds_occupied", "ga_beds_available", "escalation_beds"),
                "More G&A beds occupied than available (escalation beds included)."),
    Consistency("event_end_before_start", "social_care_event", '"end_date" < "start_date"',
                ("end_date", "start_date"), "Social care event ends before it starts."),
)

# Days after its last load by which a feed counts as late (monthly feeds: a month and 5 days).
DEFAULT_EXPECTED_DAYS = 35
EXPECTED_DAYS: dict[str, int] = {}
