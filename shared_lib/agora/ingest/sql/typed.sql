-- One feed file (raw: all text, _rn = row number) parsed, checked and pseudonymised into temp table typed.
-- Steps: clean (trim; provider nulls), map (coded values), parse (model types), derive (identity,
-- birth month, ages, LSOA), check (failure reasons). Column lists are generated from agora.model
-- and the feed declaration (agora.ingest.validate); every value is a bind parameter or variable.
-- Provider text is dropped at the end: typed holds model values, the row hash and the reasons.
CREATE OR REPLACE TEMP TABLE typed AS
WITH cleaned AS (
    SELECT raw._rn AS _row{{cleaned}}
    FROM raw
),
mapped AS (
    SELECT cleaned.*{{mapped}}
    FROM cleaned
),
parsed AS (
    SELECT mapped.*{{parsed}}
    FROM mapped
),
derived AS (
    SELECT parsed.*{{derived}}
    FROM parsed
    {{joins}}
),
checked AS (
    SELECT derived.*, nullif(concat_ws('; ', NULL::VARCHAR{{checks}}), '') AS _reason
    FROM derived
)
SELECT checked.* EXCLUDE ({{drop}})
FROM checked
