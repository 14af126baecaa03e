"""The metric registry: what each metric measures, its unit, direction, target and source.

`METRICS` maps a name to its `Metric`; the catalogue reads it, `agora.metrics.run` runs it. Each
metric runs one SQL file in `sql/` (several metrics may share a file, with a different headline
column or fixed parameters).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

SQL_DIR = Path(__file__).with_name("sql")
SPEC = "DATA_SPEC.md, Metric definitions"
GRAINS = ("all", "day", "week", "month")
PERSON_BREAKDOWNS = ("sex", "age_band", "imd_decile", "district", "practice", "pcn")
BREAKDOWN_HELP: Mapping[str, str] = MappingProxyType({
    "none": "No breakdown: one group, 'all'.",
    "sex": "Sex of the person (M, F, U).",
    "age_band": "Age band at the event: 0-17, 18-64, 65-84, 85+.",
    "imd_decile": "IMD 2025 decile of the LSOA of residence (1 = most deprived).",
    "district": "Local authority district of residence.",
    "practice": "Registered GP practice (ODS code).",
    "pcn": "Primary care network of the registered practice.",
    "site": "Hospital site (ODS code).",
    "treatment_function": "Treatment function (specialty) code.",
    "tumour_site": "Suspected tumour site group.",
})


@dataclass(frozen=True)
class Param:
    """A metric-specific parameter, validated before it is bound."""
    name: str
    help: str
    default: Any
    choices: tuple | None = None
    type: type = str
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Metric:
    name: str
    description: str
    unit: str                       # percent, count, minutes, hours, days, people, pathways
    direction: str                  # "higher" or "lower" is better
    target: float | None            # the headline value's standard, in `unit`
    source: str                     # where the definition comes from
    sql: str                        # file stem in sql/
    value: str                      # headline column (the one to chart), copied to `value`
    breakdowns: tuple[str, ...] = ("none",) + PERSON_BREAKDOWNS
    grains: tuple[str, ...] = GRAINS
    site: bool = False              # accepts site= (the SQL has a site column)
    params: tuple[Param, ...] = ()
    fixed: Mapping[str, Any] = field(default_factory=dict)  # parameters this entry pins
    default_breakdown: str = "none"
    target_note: str = ""           # targets that one number cannot hold

    @property
    def sql_path(self) -> Path:
        """The SQL file that computes this metric (definition and source in its header)."""
        return SQL_DIR / f"{self.sql}.sql"

    @property
    def parameters(self) -> dict[str, str]:
        """Every parameter `run` accepts for this metric, with its help text."""
        common = {
            "period_start": "First day of the period (date or 'YYYY-MM-DD').",
            "period_end": "Last day of the period, inclusive.",
            "org": "Sending organisation, or practice or PCN of the patient (code).",
            "breakdown": "One of: " + ", ".join(self.breakdowns) + ".",
            "grain": "Time series by: " + ", ".join(self.grains) + " ('all' = whole period).",
        }
        if self.site:
            common["site"] = "Hospital site (ODS code)."
        return common | {p.name: p.help for p in self.params if p.name not in self.fixed}


DEPARTMENT_TYPE = Param(
    "department_type", "A&E department type: 'all' or one of 01-05 (01 = type 1, major A&E).",
    "all", choices=("all", "01", "02", "03", "04", "05"))
HORIZON = Param("horizon_weeks", "Weeks ahead to project the waiting list.", 26, type=int,
                min=1, max=520)

_AE = dict(site=True, breakdowns=("none", "site") + PERSON_BREAKDOWNS,
           params=(DEPARTMENT_TYPE,))
_APC = dict(site=True, breakdowns=("none", "site") + PERSON_BREAKDOWNS)
_RTT = dict(sql="rtt_waiting_list",
            breakdowns=("none", "treatment_function") + PERSON_BREAKDOWNS,
            source=f"{SPEC}: RTT (standard 92% of incomplete pathways < 18 weeks; count 52+, "
                   "65+, 78+, 104+ week waiters); RTT weeks end on Sunday (DATA_SPEC, Dates).")
_CANCER = dict(breakdowns=("none", "tumour_site") + PERSON_BREAKDOWNS)

_ALL: tuple[Metric, ...] = (
    # Urgent and emergency care ------------------------------------------------------------------
    Metric("ae_4hour", "A&E attendances leaving within 4 hours of arrival, all department types.",
           "percent", "higher", 95.0, f"{SPEC}: A&E 4-hour (standard 95%; interim 78% 2025/26).",
           "ae_4hour", "pct_within_4_hours", target_note="Interim 78% in 2025/26.", **_AE),
    Metric("ae_4hour_type1", "Type 1 (major) A&E attendances leaving within 4 hours of arrival.",
           "percent", "higher", 95.0, f"{SPEC}: A&E 4-hour (standard 95%; interim 78% 2025/26).",
           "ae_4hour", "pct_within_4_hours", target_note="Interim 78% in 2025/26.",
           fixed={"department_type": "01"}, **_AE),
    Metric("ae_12_hours", "A&E attendances spending more than 12 hours from arrival to departure.",
           "percent", "lower", 10.0, f"{SPEC}: 12 hours in department (objective < 10%).",
           "ae_12_hours", "pct_over_12_hours", **_AE),
    Metric("ae_initial_assessment", "A&E attendances initially assessed within 15 minutes.",
           "percent", "higher", None, f"{SPEC}: Initial assessment within 15 min.",
           "ae_initial_assessment", "pct_within_15_minutes", **_AE),
    Metric("ambulance_response", "Ambulance response time (call connect to clock stop) by "
           "category: mean and 90th centile.", "minutes", "lower", None,
           f"{SPEC}: Ambulance response (mean / 90th centile).", "ambulance_response",
           "p90_minutes", target_note="C1 7/15 min; C2 18/40 min (recovery 30 min mean); "
           "C3 -/120 min; C4 -/180 min (mean / 90th centile); rows per category."),
    Metric("ambulance_handover", "Ambulance handovers within 15 minutes of hospital arrival "
           "(also within 30 and 60, and hours lost beyond 15 minutes).", "percent", "higher",
           65.0, f"{SPEC}: Ambulance handover.", "ambulance_handover", "pct_within_15_minutes",
           target_note=">= 65% within 15 min, >= 95% within 30, 100% within 60.", **_APC),
    Metric("ambulance_hours_lost", "Hours lost to ambulance handovers beyond 15 minutes.",
           "hours", "lower", 0.0, f"{SPEC}: Ambulance handover (hours lost beyond 15 min).",
           "ambulance_handover", "hours_lost_over_15_minutes", **_APC),
    Metric("bed_occupancy", "General and acute bed occupancy: occupied / available beds.",
           "percent", "lower", 92.0, f"{SPEC}: Bed occupancy (target <= 92%).",
           "bed_occupancy", "occupancy_pct", site=True, breakdowns=("none", "site")),
    Metric("stranded", "Inpatients with a length of stay of 7+ days (daily snapshot; daily mean "
           "over a longer period).", "count", "lower", None,
           f"{SPEC}: Stranded / super-stranded.", "stranded", "mean_stranded", **_APC),
    Metric("super_stranded", "Inpatients with a length of stay of 21+ days (daily snapshot; "
           "daily mean over a longer period).", "count", "lower", None,
           f"{SPEC}: Stranded / super-stranded.", "stranded", "mean_super_stranded", **_APC),
    Metric("delayed_discharge", "Days from discharge-ready date (no criteria to reside) to "
           "discharge, by discharge pathway 0-3.", "days", "lower", None,
           f"{SPEC}: Delayed discharge.", "delayed_discharge", "delay_days",
           target_note="Rows per discharge pathway.", **_APC),
    # Planned care --------------------------------------------------------------------------------
    Metric("rtt_18_weeks", "Incomplete RTT pathways waiting under 18 weeks.", "percent",
           "higher", 92.0, value="pct_within_18_weeks", **_RTT),
    Metric("rtt_52_weeks", "Incomplete RTT pathways waiting 52 weeks or more (65+, 78+, 104+ "
           "beside it).", "pathways", "lower", 0.0, value="weeks_52_plus", **_RTT),
    Metric("rtt_waiting_list", "Incomplete RTT pathways (the waiting list), by treatment "
           "function.", "pathways", "lower", None, value="incomplete",
           default_breakdown="treatment_function", **_RTT),
    Metric("rtt_projection", "Waiting list projected from referrals (clock starts) and activity "
           "(clock stops) by treatment function, with bottlenecks flagged.", "pathways", "lower",
           None, f"{SPEC}: RTT; linear stock-and-flow method documented in "
           "sql/rtt_projection.sql.", "rtt_projection", "projected_waiting",
           breakdowns=("none", "treatment_function") + PERSON_BREAKDOWNS, grains=("all",),
           params=(HORIZON,), default_breakdown="treatment_function"),
    # Cancer ---------------------------------------------------------------------------------------
    Metric("cancer_fds_28_day", "Urgent suspected cancer referrals told of a diagnosis or "
           "ruled out within 28 days (Faster Diagnosis Standard).", "percent", "higher", 80.0,
           f"{SPEC}: Cancer (28-day FDS, 80% in 2025/26).", "cancer_fds", "pct_within_28_days",
           **_CANCER),
    Metric("cancer_62_day", "First definitive treatment within 62 days of urgent referral.",
           "percent", "higher", 85.0, f"{SPEC}: Cancer (62-day, 85%).", "cancer_62_day",
           "pct_within_62_days", **_CANCER),
    Metric("cancer_31_day", "First definitive treatment within 31 days of the decision to treat.",
           "percent", "higher", 96.0, f"{SPEC}: Cancer (31-day, 96%).", "cancer_31_day",
           "pct_within_31_days", **_CANCER),
    # Frequent attenders -----------------------------------------------------------------------------
    Metric("frequent_attenders", "People with 3+ A&E attendances in the rolling 12 months (5+ "
           "and 10+ beside it).", "people", "lower", None,
           f"{SPEC}: Frequent attenders (3+ frequent; 5+ high-intensity-use threshold, "
           "unverified; 10+ high intensity user).", "frequent_attenders", "frequent_3_plus"),
)

METRICS: Mapping[str, Metric] = MappingProxyType({m.name: m for m in _ALL})
