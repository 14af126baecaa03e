-- Data quality issues register (DQIR): open issues by status and priority ($org, null = all).
SELECT status, coalesce(priority, 'untriaged') AS priority, count(*) AS issues
FROM dq_issue
WHERE status <> 'closed'
  AND ($org IS NULL OR source_org_code = $org)
GROUP BY ALL
ORDER BY status, priority
