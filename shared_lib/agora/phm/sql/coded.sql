-- Every coded record of a person that is in a codelist, up to the reference date $as_of:
-- GP events (SNOMED CT), GP medication issues (dm+d) and inpatient diagnoses (ICD-10, matched by
-- prefix so a 3-character codelist entry covers its 4-character children). People are phm_person
-- keys (pk) and codelists list_id numbers; records of people not in `person` are left out.
CREATE OR REPLACE TEMP TABLE phm_coded AS
WITH records AS (
    SELECT e.person_id, c.list_id, e.event_date, c.code
    FROM gp_event e
    JOIN phm_codelist c ON c.system = 'snomed' AND c.code = e.snomed_code
    WHERE e.event_date <= $as_of
    UNION ALL
    SELECT m.person_id, c.list_id, m.issue_date, c.code
    FROM gp_medication m
    JOIN phm_codelist c ON c.system = 'dmd' AND c.code = m.dmd_code
    WHERE m.issue_date <= $as_of
    UNION ALL
    SELECT s.person_id, c.list_id, CAST(s.admission_at AS DATE), c.code
    FROM apc_diagnosis d
    JOIN apc_spell s ON s.spell_id = d.spell_id AND s.source_org_code = d.source_org_code
    JOIN phm_codelist c
      ON c.system = 'icd10'
     AND left(c.code, 3) = left(upper(replace(d.icd10_code, '.', '')), 3)
     AND starts_with(upper(replace(d.icd10_code, '.', '')), c.code)
    WHERE CAST(s.admission_at AS DATE) <= $as_of
)
SELECT p.pk, r.list_id, r.event_date, r.code
FROM records r
JOIN phm_person p ON p.person_id = r.person_id;
