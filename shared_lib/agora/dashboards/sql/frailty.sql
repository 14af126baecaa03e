-- Ageing Well: people aged 65+ by eFI frailty category, and dementia recorded, by PCN (or by
-- practice within one PCN). eFI categories from agora.phm (Clegg et al. 2016).
WITH older AS (
    SELECT p.person_id, r.frailty,
           CASE WHEN $pcn IS NULL THEN practice.parent_code ELSE p.practice_code END AS area
    FROM person AS p
    JOIN person_risk AS r USING (person_id)
    LEFT JOIN ref_org AS practice ON practice.org_code = p.practice_code
    WHERE NOT p.opt_out AND r.age >= 65
      AND ($pcn IS NULL OR practice.parent_code = $pcn)
),
dementia AS (
    SELECT DISTINCT person_id FROM person_condition WHERE condition LIKE '%dementia%'
)
SELECT coalesce(o.area, 'unknown') AS area,
       coalesce(o.frailty, 'not assessed') AS frailty,
       count(*) AS people,
       count(d.person_id) AS with_dementia
FROM older AS o
LEFT JOIN dementia AS d USING (person_id)
GROUP BY ALL
ORDER BY area, frailty
