-- Inequalities: registered people, those in the top 5% of emergency admission risk, and A&E
-- attendances in the period, by IMD 2025 decile of residence (1 = most deprived).
WITH population AS (
    SELECT p.person_id, l.imd_decile, r.risk_tier
    FROM person AS p
    JOIN ref_lsoa AS l USING (lsoa_code)
    LEFT JOIN person_risk AS r USING (person_id)
    LEFT JOIN ref_org AS practice ON practice.org_code = p.practice_code
    WHERE NOT p.opt_out
      AND ($pcn IS NULL OR practice.parent_code = $pcn)
),
attendances AS (
    SELECT a.person_id, count(*) AS n
    FROM ae_attendance AS a
    WHERE a.arrival_at::DATE BETWEEN $start AND $end
    GROUP BY a.person_id
)
SELECT pop.imd_decile,
       count(*) AS people,
       count(*) FILTER (WHERE pop.risk_tier IN ('top_0_5', '0_5_to_5')) AS top_5pct_risk,
       coalesce(sum(att.n), 0) AS ae_attendances
FROM population AS pop
LEFT JOIN attendances AS att USING (person_id)
GROUP BY pop.imd_decile
ORDER BY pop.imd_decile
