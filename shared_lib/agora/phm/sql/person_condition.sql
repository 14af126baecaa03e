-- person_condition: for each person and codelist, the earliest coded record up to $as_of.
INSERT INTO person_condition BY NAME
SELECT c.person_id, c.codelist AS condition, min(c.event_date) AS first_date
FROM phm_coded c
WHERE c.person_id IN (SELECT person_id FROM person)
GROUP BY c.person_id, c.codelist;
