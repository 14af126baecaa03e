-- Each row's fate: its validation reason, else exact duplicate of an earlier row, else superseded
-- by a later version of the same record (greatest version, then last in the file), else loaded.
CREATE OR REPLACE TEMP TABLE verdict AS
WITH dup AS (
    SELECT _row, _reason, _version{{key_cols}},
           row_number() OVER (PARTITION BY {{all_cols}} ORDER BY _row) AS _dup_n,
           min(_row) OVER (PARTITION BY {{all_cols}}) AS _dup_of
    FROM typed
),
ranked AS (
    SELECT dup.*,
           row_number() OVER (PARTITION BY (_reason IS NULL AND _dup_n = 1){{key_partition}}
                              ORDER BY _version DESC NULLS LAST, _row DESC) AS _key_n,
           first_value(_row) OVER (PARTITION BY (_reason IS NULL AND _dup_n = 1){{key_partition}}
                                   ORDER BY _version DESC NULLS LAST, _row DESC) AS _winner
    FROM dup
)
SELECT _row,
       CASE WHEN _reason IS NOT NULL THEN _reason
            WHEN _dup_n > 1 THEN 'exact duplicate of row ' || _dup_of
            WHEN {{has_key}} AND _key_n > 1
                THEN 'superseded by row ' || _winner || ' (a later version of the same record)'
       END AS reason
FROM ranked
