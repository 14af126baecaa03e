-- Primary care networks for the PCN filter.
SELECT org_code AS code, name FROM ref_org WHERE org_type = 'pcn' ORDER BY name
