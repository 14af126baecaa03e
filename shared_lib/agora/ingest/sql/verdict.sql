-- Each row's fate: its validation reason; else, among valid rows with the same record key, the
-- greatest version (then the last in the file) is loaded and the others are quarantined as exact
-- duplicates (same content hash) or as superseded versions; else loaded.
CREATE OR REPLACE TEMP TABLE verdict AS
WITH ranked AS (
    SELECT _row, _reason, _h,
           row_number() OVER w AS _n,
           first_value(_row) OVER w AS _winner,
           first_value(_h) OVER w AS _winner_h
    FROM typed
    WINDOW w AS (PARTITION BY _reason IS NULL, {{key}}
                 ORDER BY _version DESC NULLS LAST, _row DESC)
)
SELECT _row,
       CASE WHEN _reason IS NOT NULL THEN _reason
            WHEN _n > 1 AND _h = _winner_h THEN 'exact duplicate of row ' || _winner
            WHEN _n > 1 THEN 'superseded by row ' || _winner || ' (a later version of the same record)'
       END AS reason
FROM ranked
