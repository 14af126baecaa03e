-- Ageing Well by PCN: people aged 65+ by eFI frailty category, with dementia, and in the Ageing
-- Well cohort (moderate/severe frailty or dementia, or end of life). Opt-outs excluded.
WITH older AS (
    SELECT coalesce(o.parent_code, 'unknown') AS pcn_code, r.frailty, r.ageing_well,
           EXISTS (SELECT 1 FROM person_condition AS c
                   WHERE c.person_id = r.person_id AND c.condition = 'dementia') AS dementia
    FROM person_risk AS r
    JOIN person AS p USING (person_id)
    LEFT JOIN ref_org AS o ON o.org_code = p.practice_code
    WHERE NOT p.opt_out AND r.age >= 65
      AND ($pcn = '' OR o.parent_code = $pcn)
)
SELECT pcn_code,
       count(*)                                      AS people_65_plus,
       count(*) FILTER (WHERE frailty = 'fit')       AS fit,
       count(*) FILTER (WHERE frailty = 'mild')      AS mild,
       count(*) FILTER (WHERE frailty = 'moderate')  AS moderate,
       count(*) FILTER (WHERE frailty = 'severe')    AS severe,
       count(*) FILTER (WHERE dementia)              AS dementia,
       count(*) FILTER (WHERE ageing_well)           AS ageing_well_cohort
FROM older
GROUP BY pcn_code
ORDER BY pcn_code;
