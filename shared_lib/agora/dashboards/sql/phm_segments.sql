-- Population health: people by Bridges to Health segment and risk tier (agora.phm, person_risk),
-- for the whole partnership or one primary care network ($pcn, null = all).
WITH population AS (
    SELECT r.segment, r.risk_tier
    FROM person_risk AS r
    JOIN person AS p USING (person_id)
    LEFT JOIN ref_org AS practice ON practice.org_code = p.practice_code
    WHERE NOT p.opt_out
      AND ($pcn IS NULL OR practice.parent_code = $pcn)
)
SELECT segment, risk_tier, count(*) AS people
FROM population
GROUP BY ALL
ORDER BY segment, risk_tier
