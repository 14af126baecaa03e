-- The risk model's design matrix from phm_features, one row per person (pk order).
-- Missing deprivation is set to the middle of the scale (5.5); eFI is 0 under 65; prior counts
-- are capped at 10 so a few extreme users do not dominate the fit.
-- Train/test split by pseudonym: ids starting 0-a train (11/16), b-f test (5/16). People who
-- opted out (National Data Opt-out) are scored but never used to fit or evaluate the model.
SELECT
    pk,
    CAST(age AS DOUBLE) AS age,
    CAST(sex = 'M' AS DOUBLE) AS male,
    CAST(coalesce(imd_decile, 5.5) AS DOUBLE) AS imd_decile,
    CAST(cms AS DOUBLE) AS cms,
    coalesce(efi, 0.0) AS efi,
    CAST(least(ae_window, 10) AS DOUBLE) AS prior_ae,
    CAST(least(emergency_window, 10) AS DOUBLE) AS prior_emergency,
    CAST(polypharmacy AS DOUBLE) AS polypharmacy,
    outcome_admissions > 0 AS outcome,
    left(person_id, 1) <= 'a' AS train,
    NOT coalesce(opt_out, FALSE) AS in_model
FROM phm_features
ORDER BY pk;
