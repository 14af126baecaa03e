-- Tokens for rows without a valid NHS number: HMAC of "local:" + org code + ":" + local id.
CREATE OR REPLACE TEMP TABLE batch_local AS
SELECT raw_value, hmac_sha256_hex($ipad, $opad, 'local:' || $org || ':' || raw_value) AS token
FROM (
    SELECT DISTINCT trim(raw.{{local}}) AS raw_value
    FROM raw {{nhs_join}}
    WHERE {{without_nhs}} trim(raw.{{local}}) <> ''
)
