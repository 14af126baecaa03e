-- Distinct NHS numbers of the batch, normalised; new ones hashed once into the run's pseudo_map.
CREATE OR REPLACE TEMP TABLE batch_nhs_raw AS
SELECT raw_value, nhs_normalise(raw_value) AS nhs
FROM (SELECT DISTINCT trim({{nhs}}) AS raw_value FROM raw WHERE {{nhs}} IS NOT NULL);

INSERT INTO pseudo_map
SELECT DISTINCT b.nhs, hmac_sha256_hex($ipad, $opad, b.nhs)
FROM batch_nhs_raw b
WHERE b.nhs IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pseudo_map m WHERE m.nhs = b.nhs);

CREATE OR REPLACE TEMP TABLE batch_nhs AS
SELECT b.raw_value, m.person_id
FROM batch_nhs_raw b JOIN pseudo_map m ON m.nhs = b.nhs;

DROP TABLE batch_nhs_raw;
