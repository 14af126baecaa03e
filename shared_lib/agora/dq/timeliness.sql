-- Last successful load per feed (timeliness checks compare it with the expected interval).
SELECT feed,
       max(finished_at)   AS last_loaded,
       arg_max(load_batch_id, finished_at) AS last_batch
FROM load_batch
WHERE status = 'loaded'
GROUP BY feed
