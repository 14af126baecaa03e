-- person_condition: for each person and codelist, the earliest coded record up to $as_of.
INSERT INTO person_condition BY NAME
WITH firsts AS (
    SELECT pk, list_id, min(event_date) AS first_date FROM phm_coded GROUP BY pk, list_id
),
lists AS (
    SELECT DISTINCT list_id, codelist FROM phm_codelist
)
SELECT p.person_id, l.codelist AS condition, f.first_date
FROM firsts f
JOIN phm_person p ON p.pk = f.pk
JOIN lists l ON l.list_id = f.list_id;
