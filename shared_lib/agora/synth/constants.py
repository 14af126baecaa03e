"""Every number the synthetic partnership is built from, with its source (DATA_SPEC.md).

Yearly volumes are for scale 1.0 (about 1.2 million residents, England scaled by ~0.0208);
items marked (unverified) in DATA_SPEC are marked here too. Other figures are modelling
assumptions, named as such, kept here so they can be reviewed in one place.
"""
from __future__ import annotations

# Population (DATA_SPEC "Population") ---------------------------------------------------------
POPULATION = 1_200_000
# Age bands and shares: 0-17 ~20%, 18-64 ~59%, 65-84 ~18%, 85+ ~3% (unverified).
AGE_BANDS = ((0, 17, 0.20), (18, 64, 0.59), (65, 84, 0.18), (85, 104, 0.03))
# ~49% male overall; assumption: women outlive men, so the male share falls with age.
MALE_SHARE_BY_BAND = (0.512, 0.497, 0.470, 0.380)
SEX_UNKNOWN_SHARE = 0.0005            # assumption: a few records with sex not known
OPT_OUT_SHARE = 0.04                  # National Data Opt-out: "a few per cent"
DEATHS_PER_1000 = 9.5                 # assumption: crude death rate, England ~9-10 per 1000
MOVED_AWAY_PER_YEAR = 0.03            # assumption: registrations ended by moving away
TRANSFERS_PER_YEAR = 0.02             # assumption: moves between practices of the area

# Geography (DATA_SPEC "Geography"): the nine districts, their councils and populations
# (assumption: mid-2020s populations, rounded; they sum to ~1.2M).
DISTRICTS = (
    # name, ONS code, council code, population, mean IMD decile (1 = most deprived),
    # postcode districts (outward codes) used for synthetic postcodes
    ("Basildon", "E07000066", "E10000012", 188_000, 4.6, ("SS13", "SS14", "SS15", "SS16", "CM11")),
    ("Braintree", "E07000067", "E10000012", 155_000, 6.0, ("CM7", "CM8", "CM77", "CO9")),
    ("Brentwood", "E07000068", "E10000012", 77_000, 7.8, ("CM13", "CM14", "CM15")),
    ("Castle Point", "E07000069", "E10000012", 90_000, 6.0, ("SS7", "SS8")),
    ("Chelmsford", "E07000070", "E10000012", 182_000, 7.2, ("CM1", "CM2", "CM3")),
    ("Maldon", "E07000074", "E10000012", 66_000, 6.4, ("CM9", "CM0")),
    ("Rochford", "E07000075", "E10000012", 87_000, 7.6, ("SS4", "SS5", "SS6")),
    ("Southend-on-Sea", "E06000033", "E06000033", 181_000, 5.0,
     ("SS0", "SS1", "SS2", "SS3", "SS9")),
    ("Thurrock", "E06000034", "E06000034", 176_000, 4.8, ("RM15", "RM16", "RM17", "RM18", "RM20")),
)
LSOA_MEAN_POPULATION = 1_600          # LSOA 2021: 1,000-3,000 residents, ~1,600 on average
LSOAS_PER_MSOA = 5
POSTCODES_PER_LSOA = 12

# Organisations (DATA_SPEC "Identifiers"; RYC, R1L and F81nnn unverified)
ICB = ("QH8", "NHS Mid and South Essex Integrated Care Board")
TRUST = ("RAJ", "Mid and South Essex NHS Foundation Trust")
TRUST_SITES = (  # code, name, districts served (type 1 departments with co-located UTCs)
    ("RAJ01", "Southend University Hospital", ("Southend-on-Sea", "Rochford", "Castle Point")),
    ("RAJ02", "Basildon University Hospital", ("Basildon", "Thurrock", "Brentwood")),
    ("RAJ03", "Broomfield Hospital", ("Chelmsford", "Braintree", "Maldon")),
)
MIU_SITE = ("RAJ04", "St Peter's Minor Injuries Unit")     # assumption: a type 3 unit
AMBULANCE = ("RYC", "East of England Ambulance Service NHS Trust")
COMMUNITY_MH = ("R1L", "Essex Partnership University NHS Foundation Trust")
COUNCILS = (("E10000012", "Essex County Council"), ("E06000033", "Southend-on-Sea City Council"),
            ("E06000034", "Thurrock Council"))
PRACTICES = 150                       # ~150 GP practices
PCNS = 27                             # in 27 primary care networks
SUPPLIER_A_SHARE = 0.6                # assumption: practices on GP system supplier A
VOLUNTARY_ORGS = ("Essex Carers Network", "Southend Community Hub", "Thurrock Befriending",
                  "Mid Essex Mind Matters", "South Essex Food Partnership")

# Long-term conditions (DATA_SPEC "Prevalence", QOF England): name -> (prevalence, minimum age,
# age slope per decade on the log-odds scale: an assumption fitted by eye to QOF age profiles)
CONDITIONS = {
    "diabetes": (0.075, 17, 0.45),
    "hypertension": (0.15, 18, 0.75),
    "chd": (0.03, 30, 0.75),
    "copd": (0.019, 35, 0.60),
    "asthma": (0.065, 5, -0.05),
    "af": (0.022, 40, 0.95),
    "heart_failure": (0.011, 40, 0.95),
    "ckd": (0.04, 18, 0.95),
    "depression": (0.13, 18, -0.05),
    "smi": (0.01, 18, 0.0),
    "dementia": (0.043, 65, 1.40),
    # Further conditions for the Cambridge Multimorbidity Score and segmentation (assumptions)
    "stroke": (0.018, 35, 0.85),
    "cancer": (0.035, 25, 0.60),
    "learning_disability": (0.005, 0, -0.10),
    "epilepsy": (0.008, 0, 0.0),
    "anxiety": (0.06, 16, -0.05),
    "alcohol": (0.015, 18, 0.05),
    "ibd": (0.007, 16, 0.0),
    "connective_tissue": (0.01, 25, 0.30),
    "painful_condition": (0.10, 25, 0.35),
    "constipation": (0.03, 40, 0.60),
}
# Denominators: prevalence is of people at or above the minimum age, except hypertension, CHD,
# COPD, AF, heart failure, stroke and cancer, which QOF reports as a share of the whole list.
WHOLE_LIST = ("hypertension", "chd", "copd", "af", "heart_failure", "stroke", "cancer",
              "asthma", "smi", "learning_disability", "epilepsy")
DEMENTIA_SHARE_OF_65PLUS = 0.043
NEW_DIAGNOSIS_SHARE = 0.05            # assumption: cases first coded during the period
FRAILTY_LOADING = 0.7                 # assumption: log-odds per SD of latent frailty
DEPRIVATION_LOADING = 0.35            # assumption: log-odds from least to most deprived decile
END_OF_LIFE_SHARE = 0.005             # assumption: on a palliative care register
MATERNITY_SHARE_OF_WOMEN_18_44 = 0.06  # assumption: ~12k births a year at 1.2M

# Frailty by eFI among 65+: 50% fit, 35% mild, 12% moderate, 3% severe (unverified, Clegg 2016);
# deficits present / 36: fit <= 4, mild 5-8, moderate 9-12, severe 13+.
FRAILTY_BANDS = (("fit", 0.50, 0, 4), ("mild", 0.35, 5, 8), ("moderate", 0.12, 9, 12),
                 ("severe", 0.03, 13, 18))

# Activity volumes per year at scale 1.0 (DATA_SPEC "Volumes per year")
VOLUMES = {
    "ae_attendance": 550_000,          # ~65% type 1
    "emergency_admission": 135_000,
    "elective_admission": 185_000,     # ~80% day case
    "op_booked": 2_500_000,            # ~2.0M attended
    "gp_appointment": 7_600_000,
    "ambulance_incident": 180_000,     # C1 ~10%, C2 ~50%; ~51% conveyed to ED
    "mh_people": 79_000,               # people in contact with mental health services
    "community_contact": 190_000 * 12,  # ~190k a month, 60% aged 65+
    "asc_long_term_clients": 18_000,
    "asc_requests": 43_000,
}
AE_TYPE1_SHARE = 0.65
AE_FOUR_HOUR_TARGET = 0.75            # real-world performance the timestamps aim at (~75%)
AMBULANCE_CATEGORY_SHARES = {"C1": 0.10, "C2": 0.50, "C3": 0.30, "C4": 0.10}
AMBULANCE_OUTCOME_SHARES = {"conveyed_ed": 0.51, "conveyed_other": 0.07, "see_and_treat": 0.30,
                            "hear_and_treat": 0.12}
ELECTIVE_DAY_CASE_SHARE = 0.80
OP_ATTENDED_SHARE = 0.80              # 2.0M of 2.5M booked
BED_OCCUPANCY = 0.93                  # general and acute bed occupancy (target <= 92%)
# Assumptions for the rest, scaled from England:
RTT_WAITING_LIST = 154_000            # England ~7.4M x 0.0208
RTT_CLOCK_STARTS_PER_MONTH = 36_000
CANCER_REFERRALS = 62_000             # urgent suspected cancer referrals a year
CANCER_FDS_SHARE = 0.77               # FDS ~75-80%
CANCER_CONVERSION = 0.065             # share of referrals with cancer diagnosed
COMMUNITY_REFERRALS_PER_MONTH = 16_000
MH_REFERRALS_PER_MONTH = 6_500
MH_CONTACTS_PER_MONTH = 60_000
MH_SPELLS = 2_100
GP_EVENTS_PER_PERSON = 6.0            # coded events a year besides the recorded history
REPEAT_ISSUE_DAYS = 56                # repeat prescriptions issued two-monthly
A_E_DEPRIVATION_RATIO = 1.6           # weight ratio; with sicker, frailer deprived areas the
                                      # most deprived decile attends ~2x the least (DATA_SPEC)
OLDER_ACTIVITY_UPLIFT = 1.07          # the area is older than England: +5-10% for 65+

# Winter pressure on urgent care (assumption): month-of-year multipliers, mean 1.0
URGENT_SEASON = {1: 1.08, 2: 1.03, 3: 1.02, 4: 0.98, 5: 1.0, 6: 0.98, 7: 1.0, 8: 0.95, 9: 0.97,
                 10: 1.0, 11: 1.0, 12: 0.99}

# Defect rates per file (share of records); see agora.synth for the definition of each kind.
DEFECT_RATES = {
    "missing_required": 0.002, "bad_date": 0.002, "out_of_range": 0.002, "unknown_code": 0.002,
    "time_order": 0.002,
    "nhs_spaced": 0.03, "nhs_dashed": 0.015, "nhs_missing": 0.005, "nhs_invalid": 0.002,
    "nhs_zeros": 0.002, "postcode_shape": 0.01, "postcode_unmapped": 0.003,
    "duplicate": 0.003, "correction": 0.003,
}
LATE_SHARE = 0.01                     # records arriving in the next month's file
NHS_UNKNOWN_AT_SCENE = 0.25           # ambulance incidents with no NHS number (assumption)
