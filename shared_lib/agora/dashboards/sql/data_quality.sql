-- Data quality: rows received, loaded and quarantined per feed and sending organisation for
-- the files loaded in the period ($org, null = all), from load_batch lineage.
SELECT feed,
       source_org_code,
       count(*) FILTER (WHERE status = 'loaded') AS files_loaded,
       count(*) FILTER (WHERE status = 'rejected') AS files_rejected,
       coalesce(sum(rows_received), 0) AS rows_received,
       coalesce(sum(rows_loaded), 0) AS rows_loaded,
       coalesce(sum(rows_quarantined), 0) AS rows_quarantined
FROM load_batch
WHERE started_at::DATE BETWEEN $start AND $end
  AND ($org IS NULL OR source_org_code = $org)
GROUP BY ALL
ORDER BY feed, source_org_code
