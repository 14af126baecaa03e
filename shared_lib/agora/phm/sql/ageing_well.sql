-- The Ageing Well cohort (person_risk.ageing_well) with practice, PCN, district and the reasons
-- each person is in it; $practice (NULL = all) narrows it to one practice.
SELECT
    r.person_id,
    p.practice_code,
    o.parent_code AS pcn_code,
    l.district,
    r.age,
    p.sex,
    r.frailty,
    r.efi,
    EXISTS (SELECT 1 FROM person_condition c
            WHERE c.person_id = r.person_id AND c.condition = 'dementia') AS dementia,
    r.segment = 'end_of_life' AS end_of_life,
    r.risk_score,
    r.risk_tier
FROM person_risk r
JOIN person p ON p.person_id = r.person_id
LEFT JOIN ref_org o ON o.org_code = p.practice_code
LEFT JOIN ref_lsoa l ON l.lsoa_code = p.lsoa_code
WHERE r.ageing_well
  AND ($practice IS NULL OR p.practice_code = $practice)
ORDER BY r.risk_score DESC NULLS LAST, r.person_id;
