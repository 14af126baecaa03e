-- person_risk from the features, segments and risk scores (phm_scores) of one reference date.
-- Risk tiers rank people by score (ties by pk, the order of person_id): rank / people scored,
-- banded by phm_tier.
INSERT INTO person_risk BY NAME
WITH scored AS (
    SELECT f.*, g.segment, s.risk_score
    FROM phm_features f
    LEFT JOIN phm_segment_of g ON g.pk = f.pk
    LEFT JOIN phm_scores s ON s.pk = f.pk
),
ranked AS (
    SELECT
        *,
        CASE WHEN risk_score IS NOT NULL THEN
            row_number() OVER (ORDER BY risk_score DESC NULLS LAST, pk)
            / CAST(count(risk_score) OVER () AS DOUBLE)
        END AS rank_fraction
    FROM scored
)
SELECT
    person_id,
    CAST($as_of AS DATE) AS as_of,
    age,
    efi,
    efi_deficits,
    frailty,
    polypharmacy,
    cms,
    ltc_count,
    segment,
    ae_12m AS prior_ae_12m,
    emergency_12m AS prior_emergency_12m,
    risk_score,
    phm_risk_tier(rank_fraction) AS risk_tier,
    (age >= $efi_min_age AND (frailty IN ('moderate', 'severe') OR dementia)) OR end_of_life
        AS ageing_well
FROM ranked;
