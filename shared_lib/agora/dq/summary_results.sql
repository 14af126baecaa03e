-- Data quality results by table and dimension, optionally for one sending organisation.
SELECT r.table_name,
       split_part(r.check_id, ':', 1)                     AS dimension,
       count(DISTINCT r.check_id)                         AS checks,
       CAST(sum(r.rows_checked) AS BIGINT)                AS rows_checked,
       CAST(sum(r.rows_failed) AS BIGINT)                 AS rows_failed,
       count(DISTINCT r.check_id) FILTER (WHERE r.rows_failed > 0) AS checks_failing,
       max(r.checked_at)                                  AS checked_at
FROM dq_result AS r
LEFT JOIN load_batch AS b USING (load_batch_id)
WHERE $org IS NULL OR b.source_org_code = $org
GROUP BY ALL
ORDER BY r.table_name, dimension
