-- Codelists used by population health, one row per (codelist, system, code).
-- Source: the latest version (compared by the numbers in it) of each codelist in the store's
-- ref_codelist, plus the packaged codelists (agora.codelists, registered as
-- phm_packaged_codelist) that the store does not hold.
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
versions AS (
    SELECT DISTINCT codelist, version FROM renamed
),
latest AS (   -- numbers compare as numbers: 2025.10 is later than 2025.9, v10 than v9
    SELECT codelist, version
    FROM versions
    QUALIFY row_number() OVER (
        PARTITION BY codelist
        ORDER BY list_transform(regexp_extract_all(version, '[0-9]+'),
                                x -> TRY_CAST(x AS BIGINT)) DESC,
                 version DESC) = 1
)
SELECT DISTINCT dense_rank() OVER (ORDER BY r.codelist) AS list_id, r.codelist, r.system, r.code
FROM renamed r
JOIN latest l ON l.codelist = r.codelist AND l.version = r.version;
