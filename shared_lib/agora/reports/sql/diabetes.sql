-- Diabetes by local authority district: people aged 17+, people with diabetes (codelist
-- 'diabetes'), those of them with hypertension or CKD (risk factors), and those with an
-- emergency admission in the 12 months to the reference date (outcome). Opt-outs excluded.
WITH adults AS (
    SELECT p.person_id, l.district
    FROM person AS p
    JOIN person_risk AS r USING (person_id)
    JOIN ref_lsoa AS l USING (lsoa_code)
    WHERE NOT p.opt_out AND r.age >= 17
),
flags AS (
    SELECT person_id,
           bool_or(condition = 'diabetes')     AS diabetes,
           bool_or(condition = 'hypertension') AS hypertension,
           bool_or(condition = 'ckd')          AS ckd
    FROM person_condition
    WHERE condition IN ('diabetes', 'hypertension', 'ckd')
    GROUP BY person_id
)
SELECT a.district,
       count(*)                                                            AS adults,
       count(*) FILTER (WHERE f.diabetes)                                  AS diabetes,
       count(*) FILTER (WHERE f.diabetes AND f.hypertension)               AS with_hypertension,
       count(*) FILTER (WHERE f.diabetes AND f.ckd)                        AS with_ckd,
       count(*) FILTER (WHERE f.diabetes AND r.prior_emergency_12m > 0)    AS emergency_admitted
FROM adults AS a
LEFT JOIN flags AS f USING (person_id)
JOIN person_risk AS r USING (person_id)
GROUP BY a.district
ORDER BY a.district;
