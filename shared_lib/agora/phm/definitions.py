"""The population health definitions, declared once: eFI deficits, Cambridge Multimorbidity
Score weights, long-term conditions, segment flags, frailty bands, segments and risk tiers.

The SQL in this package is generic: it joins coded events with the rules declared here (loaded as
temporary tables), so changing a definition is changing this file. The catalogue documents these
same declarations. Sources are DATA_SPEC.md "Population health methods":
- eFI: Clegg et al., Age and Ageing 2016 (36 deficits; fit <= 0.12, mild <= 0.24,
  moderate <= 0.36, severe > 0.36; polypharmacy = 5+ distinct drugs).
- CMS: Payne et al., CMAJ 2020, general outcome weights.
- Bridges to Health: Lynn et al., Milbank Quarterly 2007 (8 segments, first match wins).
"""
from __future__ import annotations

from dataclasses import dataclass

YEAR_DAYS = 365


@dataclass(frozen=True)
class Rule:
    """A person meets a rule when at least `min_count` events from any of `codelists` fall in the
    `lookback_days` before the reference date (None: ever recorded up to it)."""
    rule_set: str            # efi | cms | ltc | flag
    name: str
    codelists: tuple[str, ...]
    description: str
    weight: float = 1.0
    lookback_days: int | None = None
    min_count: int = 1


def _efi(name: str, description: str) -> Rule:
    return Rule("efi", name, (f"efi_{name}",), description)


# The 36 eFI deficits: 35 coded, plus polypharmacy computed from medication issues:
# 5+ distinct medicines of the polypharmacy codelist (dm+d) issued in the last 12 months.
EFI_POLYPHARMACY_DRUGS = 5
POLYPHARMACY_CODELIST = "polypharmacy"
EFI_DEFICITS: tuple[Rule, ...] = (
    _efi("activity_limitation", "Activity limitation"),
    _efi("anaemia", "Anaemia and haematinic deficiency"),
    _efi("arthritis", "Arthritis"),
    _efi("atrial_fibrillation", "Atrial fibrillation"),
    _efi("cerebrovascular_disease", "Cerebrovascular disease"),
    _efi("ckd", "Chronic kidney disease"),
    _efi("diabetes", "Diabetes"),
    _efi("dizziness", "Dizziness"),
    _efi("dyspnoea", "Dyspnoea"),
    _efi("falls", "Falls"),
    _efi("foot_problems", "Foot problems"),
    _efi("fragility_fracture", "Fragility fracture"),
    _efi("hearing_impairment", "Hearing impairment"),
    _efi("heart_failure", "Heart failure"),
    _efi("heart_valve_disease", "Heart valve disease"),
    _efi("housebound", "Housebound"),
    _efi("hypertension", "Hypertension"),
    _efi("hypotension_syncope", "Hypotension or syncope"),
    _efi("ihd", "Ischaemic heart disease"),
    _efi("memory_cognitive_problems", "Memory and cognitive problems"),
    _efi("mobility_transfer_problems", "Mobility and transfer problems"),
    _efi("osteoporosis", "Osteoporosis"),
    _efi("parkinsonism_tremor", "Parkinsonism and tremor"),
    _efi("peptic_ulcer", "Peptic ulcer"),
    _efi("peripheral_vascular_disease", "Peripheral vascular disease"),
    _efi("requirement_for_care", "Requirement for care"),
    _efi("respiratory_disease", "Respiratory disease"),
    _efi("skin_ulcer", "Skin ulcer"),
    _efi("sleep_disturbance", "Sleep disturbance"),
    _efi("social_vulnerability", "Social vulnerability"),
    _efi("thyroid_disease", "Thyroid disease"),
    _efi("urinary_incontinence", "Urinary incontinence"),
    _efi("urinary_system_disease", "Urinary system disease"),
    _efi("visual_impairment", "Visual impairment"),
    _efi("weight_loss_anorexia", "Weight loss and anorexia"),
)
EFI_DEFICIT_COUNT = len(EFI_DEFICITS) + 1   # + polypharmacy = 36
EFI_MIN_AGE = 65


def _cms(name: str, weight: float, description: str, **kw) -> Rule:
    return Rule("cms", name, (f"cms_{name}",), description, weight=weight, **kw)


# Cambridge Multimorbidity Score, general outcome weights (DATA_SPEC). Simplified recording
# rules: ever recorded, except the two medication-defined conditions (4+ issues in 12 months).
CMS_CONDITIONS: tuple[Rule, ...] = (
    _cms("alcohol", 0.65, "Alcohol problems"),
    _cms("anxiety_depression", 0.50, "Anxiety or depression"),
    _cms("atrial_fibrillation", 1.34, "Atrial fibrillation"),
    _cms("cancer", 1.53, "Cancer (new diagnosis in the last 5 years)", lookback_days=5 * YEAR_DAYS),
    _cms("ckd", 0.53, "Chronic kidney disease"),
    _cms("connective_tissue", 0.43, "Connective tissue disorders"),
    _cms("copd", 1.46, "Chronic obstructive pulmonary disease"),
    _cms("chd", 0.49, "Coronary heart disease"),
    _cms("dementia", 2.50, "Dementia"),
    _cms("diabetes", 0.75, "Diabetes"),
    _cms("epilepsy", 0.92, "Epilepsy"),
    _cms("hearing_loss", 0.09, "Hearing loss"),
    _cms("heart_failure", 1.18, "Heart failure"),
    _cms("ibd", 0.21, "Inflammatory bowel disease"),
    _cms("psychosis", 0.64, "Schizophrenia or bipolar disorder (psychosis)"),
    _cms("stroke", 0.80, "Stroke or transient ischaemic attack"),
    _cms("asthma", 0.19, "Asthma"),
    _cms("hypertension", 0.08, "Hypertension"),
    _cms("constipation", 1.12, "Treated constipation: 4+ records (laxative issues) in 12 months",
         lookback_days=YEAR_DAYS, min_count=4),
    _cms("painful_condition", 0.92, "Painful condition: 4+ records (analgesic issues) in 12 "
         "months",
         lookback_days=YEAR_DAYS, min_count=4),
)


def _ltc(name: str, description: str) -> Rule:
    return Rule("ltc", name, (name,), description)


# Long-term conditions (QOF registers) counted for the Bridges "chronic" segment (1+) and the
# "complex" marker (3+).
LTC_CONDITIONS: tuple[Rule, ...] = (
    _ltc("af", "Atrial fibrillation"),
    _ltc("asthma", "Asthma"),
    _ltc("cancer", "Cancer"),
    _ltc("chd", "Coronary heart disease"),
    _ltc("ckd", "Chronic kidney disease stages 3-5"),
    _ltc("copd", "COPD"),
    _ltc("dementia", "Dementia"),
    _ltc("depression", "Depression"),
    _ltc("diabetes", "Diabetes"),
    _ltc("heart_failure", "Heart failure"),
    _ltc("hypertension", "Hypertension"),
    _ltc("smi", "Serious mental illness"),
    _ltc("stroke", "Stroke or transient ischaemic attack"),
)
COMPLEX_LTC_COUNT = 3

# Flags used by the segmentation and the Ageing Well cohort.
FLAGS: tuple[Rule, ...] = (
    Rule("flag", "end_of_life", ("end_of_life",),
         "End-of-life or palliative care coded in the last 12 months", lookback_days=YEAR_DAYS),
    Rule("flag", "organ_failure", ("heart_failure", "ckd_stage_4_5", "liver_failure"),
         "Organ failure: heart failure, CKD stage 4-5 or liver failure"),
    Rule("flag", "dementia", ("dementia",), "Dementia"),
    Rule("flag", "disability", ("learning_disability",), "Learning disability"),
    Rule("flag", "maternity", ("maternity",), "Pregnancy or delivery coded in the last 12 months",
         lookback_days=YEAR_DAYS),
)

RULES: tuple[Rule, ...] = EFI_DEFICITS + CMS_CONDITIONS + LTC_CONDITIONS + FLAGS

# eFI categories: (category, upper bound inclusive); above the last bound is "severe".
FRAILTY_BANDS: tuple[tuple[str, float], ...] = (
    ("fit", 0.12), ("mild", 0.24), ("moderate", 0.36), ("severe", float("inf")),
)

# Bridges to Health segments, first match wins (DATA_SPEC order).
SEGMENTS: tuple[tuple[str, str], ...] = (
    ("end_of_life", "End-of-life or palliative care coded in the last 12 months."),
    ("organ_failure", "Heart failure, CKD stage 4-5 or liver failure."),
    ("frailty", "Severe frailty (eFI > 0.36, 65+) or dementia."),
    ("disability", "Learning disability."),
    ("chronic", f"1+ long-term condition (complex when {COMPLEX_LTC_COUNT}+; see ltc_count)."),
    ("maternity", "Pregnancy or delivery coded in the last 12 months."),
    ("acutely_ill", "An A&E attendance or emergency admission in the last 12 months."),
    ("healthy", "None of the above."),
)

# Risk tiers by rank of the risk score: (tier, upper bound of the rank fraction, inclusive).
RISK_TIERS: tuple[tuple[str, float, str], ...] = (
    ("top_0_5", 0.005, "Highest 0.5% of predicted risk."),
    ("0_5_to_5", 0.05, "Next 4.5% (0.5% to 5%)."),
    ("5_to_20", 0.20, "Next 15% (5% to 20%)."),
    ("rest", 1.0, "The remaining 80%."),
)

AGEING_WELL = ("Ageing Well cohort: people aged 65+ with moderate or severe frailty or dementia, "
               "and people of any age with end-of-life care coded in the last 12 months.")


def rules_frame():
    """The rules as a DataFrame, one row per (rule, codelist), for the SQL to join with."""
    import pandas as pd
    rows = [(r.rule_set, r.name, cl, r.weight, r.lookback_days, r.min_count)
            for r in RULES for cl in r.codelists]
    frame = pd.DataFrame(rows, columns=["rule_set", "name", "codelist", "weight",
                                        "lookback_days", "min_count"])
    return frame.astype({"lookback_days": "Int64"})


def codelists_needed() -> set[str]:
    """Every codelist name the definitions refer to."""
    return {cl for r in RULES for cl in r.codelists} | {POLYPHARMACY_CODELIST}
