-- Data freshness for the landing page: the latest successful load of each feed from each
-- sending organisation (load_batch lineage, see agora.model).
SELECT feed,
       source_org_code,
       max(finished_at)   AS last_loaded,
       arg_max(rows_loaded, finished_at) AS rows_loaded,
       count(*)           AS batches
FROM load_batch
WHERE status = 'loaded'
GROUP BY feed, source_org_code
ORDER BY feed, source_org_code
