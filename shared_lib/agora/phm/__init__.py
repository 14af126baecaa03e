"""Population health management: frailty, multimorbidity, segmentation and risk.

`rebuild(con, as_of=None)` writes two derived tables into a store snapshot (it runs on every
publish as a store post-load hook):

- person_condition: per person and codelist, the earliest coded record (GP SNOMED CT events,
  GP dm+d medication issues, inpatient ICD-10 diagnoses matched by prefix).
- person_risk: per person alive at the reference date:
  * Electronic Frailty Index (65+): deficits present / 36, from 35 codelists plus polypharmacy
    (5+ distinct drugs issued in 12 months); fit <= 0.12 < mild <= 0.24 < moderate <= 0.36 <
    severe (Clegg et al. 2016).
  * Cambridge Multimorbidity Score: sum of general outcome weights of 20 conditions (Payne et
    al. 2020); ever recorded, except cancer (5 years) and treated constipation / painful
    condition (4+ issues in 12 months).
  * Bridges to Health segment, first match wins: end of life, organ failure, frailty (severe
    eFI or dementia), disability, chronic (1+ long-term condition; ltc_count 3+ is complex),
    maternity, acutely ill, healthy.
  * a 12-month emergency admission risk score from a logistic regression on age, sex,
    deprivation, CMS, eFI, prior A&E and emergency admissions and polypharmacy
    (agora.phm.risk; `agora phm model` prints its coefficients, AUC and calibration), and risk
    tiers by rank: top 0.5%, 0.5-5%, 5-20%, rest.
  * the Ageing Well flag (65+ with moderate/severe frailty or dementia, or end of life);
    `ageing_well(con, practice=None)` lists the cohort.

All definitions live in agora.phm.definitions; the SQL beside this module is generic over them.
"""
from __future__ import annotations

from .cohort import ageing_well
from .pipeline import Computation, PhmError, compute
from .tables import post_load, rebuild

__all__ = ["rebuild", "compute", "ageing_well", "post_load", "Computation", "PhmError"]
