-- Quarantined rows in the store: batch, feed, row number and reason only (never the row itself).
INSERT INTO quarantine (load_batch_id, feed, row_number, reason)
SELECT $batch, $feed, _row, reason
FROM verdict
WHERE reason IS NOT NULL
ORDER BY _row
