-- Diabetes: recorded prevalence among people aged 17+ (QOF-style register from
-- person_condition), by PCN, or by practice within one PCN ($pcn).
WITH adults AS (
    SELECT p.person_id,
           CASE WHEN $pcn IS NULL THEN practice.parent_code ELSE p.practice_code END AS area
    FROM person AS p
    JOIN person_risk AS r USING (person_id)
    LEFT JOIN ref_org AS practice ON practice.org_code = p.practice_code
    WHERE NOT p.opt_out AND r.age >= 17
      AND ($pcn IS NULL OR practice.parent_code = $pcn)
),
diabetes AS (
    SELECT DISTINCT person_id FROM person_condition WHERE condition LIKE '%diabetes%'
)
SELECT coalesce(a.area, 'unknown') AS area,
       count(*) AS adults,
       count(d.person_id) AS with_diabetes
FROM adults AS a
LEFT JOIN diabetes AS d USING (person_id)
GROUP BY ALL
ORDER BY area
