-- Hospital sites for the site filter.
SELECT org_code AS code, name FROM ref_org WHERE org_type = 'site' ORDER BY name
