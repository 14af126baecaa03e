-- Per-run identity maps (temporary: in the loading connection only, never in the store file).
-- pseudo_map: normalised NHS number -> person_id. nhs_raw_map: NHS number as written -> person_id
-- (NULL when it is not a valid NHS number). local_map: org + local id -> token.
CREATE TEMP TABLE pseudo_map (nhs VARCHAR, person_id VARCHAR);
CREATE TEMP TABLE nhs_raw_map (raw_value VARCHAR, person_id VARCHAR);
CREATE TEMP TABLE local_map (org VARCHAR, raw_value VARCHAR, token VARCHAR);
