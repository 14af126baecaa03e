-- The batch's loaded rows into the model table, with lineage, in file order.
INSERT INTO {{table}} ({{columns}})
SELECT {{values}}
FROM typed JOIN verdict USING (_row)
WHERE verdict.reason IS NULL
ORDER BY _row
