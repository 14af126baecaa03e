-- person from GP registrations: per person the current registration (open first, latest start,
-- latest version); a later load replaces the person's earlier row.
CREATE OR REPLACE TEMP TABLE batch_person AS
SELECT person_id, id_from_local, sex, birth_month, lsoa_code, practice_code, death_date, opt_out
FROM typed JOIN verdict USING (_row)
WHERE verdict.reason IS NULL
QUALIFY row_number() OVER (PARTITION BY person_id
                           ORDER BY end_date IS NULL DESC, start_date DESC,
                                    _version DESC NULLS LAST, _row DESC) = 1;

DELETE FROM person USING batch_person b WHERE person.person_id = b.person_id;

INSERT INTO person (person_id, id_from_local, sex, birth_month, lsoa_code, practice_code,
                    death_date, opt_out, source_org_code, load_batch_id, loaded_at)
SELECT person_id, id_from_local, sex, birth_month, lsoa_code, practice_code, death_date, opt_out,
       $org, $batch, $loaded_at
FROM batch_person;

DROP TABLE batch_person;
