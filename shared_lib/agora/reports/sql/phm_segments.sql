-- People by Bridges to Health segment and risk tier, for one PCN ($pcn, '' = all).
-- Registered people alive at the reference date; National Data Opt-out honoured (secondary use).
WITH people AS (
    SELECT r.segment, r.risk_tier
    FROM person_risk AS r
    JOIN person AS p USING (person_id)
    LEFT JOIN ref_org AS o ON o.org_code = p.practice_code
    WHERE NOT p.opt_out
      AND ($pcn = '' OR o.parent_code = $pcn)
)
SELECT segment,
       count(*) FILTER (WHERE risk_tier = 'top_0_5')  AS tier_top_0_5,
       count(*) FILTER (WHERE risk_tier = '0_5_to_5') AS tier_0_5_to_5,
       count(*) FILTER (WHERE risk_tier = '5_to_20')  AS tier_5_to_20,
       count(*) FILTER (WHERE risk_tier = 'rest')     AS tier_rest,
       count(*)                                       AS people
FROM people
GROUP BY segment
ORDER BY people DESC, segment;
