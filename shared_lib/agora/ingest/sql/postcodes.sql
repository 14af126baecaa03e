-- Postcode -> LSOA lookup for this run (temporary: postcodes never enter the store). Postcodes
-- are compared upper-cased without spaces, so "ss141ab" and "SS14 1AB" match.
CREATE OR REPLACE TEMP TABLE postcode_lsoa AS
SELECT DISTINCT upper(replace(postcode, ' ', '')) AS postcode_key, lsoa_code
FROM read_csv($path, header = true, all_varchar = true)
WHERE postcode IS NOT NULL
