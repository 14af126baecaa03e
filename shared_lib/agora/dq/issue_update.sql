-- Move an issue to a new status; priority, table and organisation change only when given.
UPDATE dq_issue
SET status = $status,
    priority = coalesce($priority, priority),
    table_name = coalesce($table_name, table_name),
    source_org_code = coalesce($org, source_org_code),
    updated_at = $now,
    notes = $notes
WHERE issue_id = $issue_id
