-- Tokens for rows without a valid NHS number: HMAC of "local:" + org code + ":" + local id,
-- computed once per run for each local id not seen before (local_map).
INSERT INTO local_map
SELECT $org, raw_value, hmac_sha256_hex($ipad, $opad, 'local:' || $org || ':' || raw_value)
FROM (
    SELECT DISTINCT trim(raw.{{local}}) AS raw_value
    FROM raw {{nhs_join}}
    WHERE {{without_nhs}} trim(raw.{{local}}) <> ''
) AS ids
WHERE NOT EXISTS (SELECT 1 FROM local_map m WHERE m.org = $org AND m.raw_value = ids.raw_value)
