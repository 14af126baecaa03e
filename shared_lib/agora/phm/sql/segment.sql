-- Bridges to Health segment per person: the segment flags below, then the first segment in the
-- order of phm_segment (agora.phm.definitions.SEGMENTS) whose flag is true. Every flag column is
-- named after its segment; "healthy" is always true, so everyone gets a segment.
CREATE OR REPLACE TEMP TABLE phm_segment_of AS
WITH flags AS (
    SELECT
        pk,
        end_of_life,
        organ_failure,
        coalesce(frailty = 'severe', FALSE) OR dementia AS frailty,
        disability,
        ltc_count >= 1 AS chronic,
        maternity,
        ae_12m + emergency_12m >= 1 AS acutely_ill,
        TRUE AS healthy
    FROM phm_features
),
long AS (
    UNPIVOT flags ON COLUMNS(* EXCLUDE (pk)) INTO NAME segment VALUE hit
)
SELECT l.pk, arg_min(l.segment, s.priority) AS segment
FROM long l
JOIN phm_segment s ON s.segment = l.segment
WHERE l.hit
GROUP BY l.pk;
