-- Issues in the register, newest first, by status, organisation, or open (not closed).
SELECT *
FROM dq_issue
WHERE ($status IS NULL OR status = $status)
  AND ($org IS NULL OR source_org_code = $org)
  AND (NOT $open_only OR status <> 'closed')
ORDER BY issue_id DESC
