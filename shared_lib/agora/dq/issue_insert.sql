-- Log a new issue (the number is chosen inside the same transaction).
INSERT INTO dq_issue (issue_id, title, table_name, source_org_code, status, raised_by, raised_at,
                      updated_at, notes)
VALUES ($issue_id, $title, $table_name, $org, 'logged', $who, $now, $now, $notes)
