-- Corrected and restated records replace the versions loaded before (same record key, same org).
DELETE FROM {{table}} AS t
USING (SELECT DISTINCT {{key_cols}}
       FROM typed JOIN verdict USING (_row)
       WHERE verdict.reason IS NULL) AS n
WHERE t.source_org_code = $org AND {{key_match}}
