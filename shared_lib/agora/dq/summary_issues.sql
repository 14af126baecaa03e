-- Open issues of a snapshot's copy of the register, optionally for one organisation.
SELECT issue_id, title, table_name, source_org_code, status, priority, raised_at, updated_at
FROM dq_issue
WHERE status <> 'closed'
  AND ($org IS NULL OR source_org_code = $org)
ORDER BY issue_id
