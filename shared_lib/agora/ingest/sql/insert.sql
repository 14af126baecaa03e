-- The batch's loaded rows into the model table, with lineage.
INSERT INTO {{table}} ({{columns}})
SELECT {{values}}
FROM typed JOIN verdict USING (_row)
WHERE verdict.reason IS NULL
