-- Organisations that send data (for the organisation filter).
SELECT DISTINCT b.source_org_code AS code, coalesce(o.name, b.source_org_code) AS name
FROM load_batch AS b LEFT JOIN ref_org AS o ON o.org_code = b.source_org_code
ORDER BY name
