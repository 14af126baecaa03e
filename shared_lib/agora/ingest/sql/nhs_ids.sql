-- NHS numbers of the batch not seen before in this run (as written): normalised once, each new
-- normalised number hashed once into pseudo_map, every raw shape remembered in nhs_raw_map.
CREATE OR REPLACE TEMP TABLE batch_nhs_new AS
WITH raw_values AS (
    SELECT DISTINCT {{nhs}} AS raw_value
    FROM raw
    WHERE {{nhs}} IS NOT NULL
)
SELECT raw_value, nhs_normalise(raw_value) AS nhs
FROM raw_values ANTI JOIN nhs_raw_map USING (raw_value);

INSERT INTO pseudo_map
SELECT DISTINCT nhs, hmac_sha256_hex($ipad, $opad, nhs)
FROM batch_nhs_new b
WHERE nhs IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pseudo_map m WHERE m.nhs = b.nhs);

INSERT INTO nhs_raw_map
SELECT b.raw_value, m.person_id
FROM batch_nhs_new b LEFT JOIN pseudo_map m ON m.nhs = b.nhs;
