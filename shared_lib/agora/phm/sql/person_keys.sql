-- People of the store numbered 1..n in person_id order, so the heavy joins and groupings run on
-- small integers rather than 64-character pseudonyms.
CREATE OR REPLACE TEMP TABLE phm_person AS
SELECT CAST(row_number() OVER (ORDER BY person_id) AS INTEGER) AS pk, person_id FROM person;
