-- Codelists used by population health, one row per (codelist, system, code).
-- Source: the latest version of each codelist in the store's ref_codelist, plus the packaged
-- codelists (agora.codelists, registered as phm_packaged_codelist) that the store does not hold.
-- Systems are normalised to snomed / dmd / icd10; ICD-10 codes lose their dot ("I50.0" = "I500").
-- list_id numbers the codelists, so the heavy joins and groupings run on small integers.
CREATE OR REPLACE TEMP TABLE phm_codelist AS
WITH imported AS (
    SELECT codelist, version, system, code FROM ref_codelist
    UNION ALL
    SELECT codelist, version, system, code FROM phm_packaged_codelist
    WHERE codelist NOT IN (SELECT codelist FROM ref_codelist)
),
renamed AS (
    SELECT
        codelist,
        version,
        CASE regexp_replace(lower(system), '[^a-z0-9]', '', 'g')
            WHEN 'snomed' THEN 'snomed' WHEN 'snomedct' THEN 'snomed' WHEN 'sct' THEN 'snomed'
            WHEN 'dmd' THEN 'dmd'
            WHEN 'icd10' THEN 'icd10'
            ELSE lower(system)
        END AS system,
        upper(replace(trim(code), '.', '')) AS code
    FROM imported
),
latest AS (
    SELECT codelist, max(version) AS version FROM renamed GROUP BY codelist
)
SELECT DISTINCT dense_rank() OVER (ORDER BY r.codelist) AS list_id, r.codelist, r.system, r.code
FROM renamed r
JOIN latest l ON l.codelist = r.codelist AND l.version = r.version;

-- People of the store numbered 1..n, for the same reason.
CREATE OR REPLACE TEMP TABLE phm_person AS
SELECT CAST(row_number() OVER (ORDER BY person_id) AS INTEGER) AS pk, person_id FROM person;
