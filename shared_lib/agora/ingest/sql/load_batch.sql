-- One load_batch row per file, loaded or rejected, with its counts.
INSERT INTO load_batch (load_batch_id, feed, source_org_code, file_name, file_sha256, status,
                        rows_received, rows_loaded, rows_quarantined, error, started_at,
                        finished_at)
VALUES ($batch, $feed, $org, $file_name, $sha256, $status, $received, $loaded, $quarantined,
        $error, $started_at, now()::TIMESTAMP)
