-- People by frailty category, segment and risk tier, for `agora phm summary`.
SELECT 'frailty' AS measure, frailty AS value, count(*) AS people FROM person_risk GROUP BY ALL
UNION ALL
SELECT 'segment', segment, count(*) FROM person_risk GROUP BY ALL
UNION ALL
SELECT 'risk_tier', risk_tier, count(*) FROM person_risk GROUP BY ALL;
