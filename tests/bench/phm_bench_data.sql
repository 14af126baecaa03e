-- A synthetic population for the population health benchmark, generated in DuckDB: n people
-- with coded events, medication issues, A&E attendances and emergency admissions whose rates
-- rise with age. Codes are drawn from the packaged codelists (registered as bench_codes).
SELECT setseed($seed);
CREATE TABLE bench_people AS
SELECT
    sha256(CAST(i AS VARCHAR)) AS person_id,
    least(100, CAST(floor(CASE WHEN u < 0.20 THEN u / 0.20 * 18
                               WHEN u < 0.79 THEN 18 + (u - 0.20) / 0.59 * 47
                               WHEN u < 0.97 THEN 65 + (u - 0.79) / 0.18 * 20
                               ELSE 85 + (u - 0.97) / 0.03 * 15 END) AS INTEGER)) AS age,
    CASE WHEN random() < 0.49 THEN 'M' ELSE 'F' END AS sex,
    random() < 0.03 AS opt_out,
    'E01' || lpad(CAST(CAST(floor(random() * 700) AS INTEGER) AS VARCHAR), 6, '0') AS lsoa_code
FROM (SELECT i, random() AS u FROM range($n) t(i));

INSERT INTO ref_lsoa (lsoa_code, district, imd_decile)
SELECT 'E01' || lpad(CAST(i AS VARCHAR), 6, '0'), 'Basildon', 1 + i % 10 FROM range(700) t(i);

INSERT INTO person BY NAME
SELECT person_id, FALSE AS id_from_local, sex,
       CAST(date_trunc('month', DATE '2026-03-31' - INTERVAL (age * 365 + 30) DAY) AS DATE) AS birth_month,
       lsoa_code, 'F81001' AS practice_code, opt_out, 'QH8' AS source_org_code, 1 AS load_batch_id,
       TIMESTAMP '2026-04-01' AS loaded_at
FROM bench_people;

CREATE TABLE bench_snomed AS
SELECT row_number() OVER () - 1 AS k, code FROM (SELECT DISTINCT code FROM bench_codes WHERE system = 'snomed');
CREATE TABLE bench_dmd AS
SELECT row_number() OVER () - 1 AS k, code FROM (SELECT DISTINCT code FROM bench_codes WHERE system = 'dmd');

INSERT INTO gp_event BY NAME
SELECT p.person_id, FALSE AS id_from_local, DATE '2015-01-01' + CAST(floor(random() * 4100) AS INTEGER) AS event_date,
       s.code AS snomed_code, 'F81001' AS practice_code, 'F81001' AS source_org_code,
       1 AS load_batch_id, TIMESTAMP '2026-04-01' AS loaded_at
FROM (SELECT person_id, CAST(floor(random() * (SELECT count(*) FROM bench_snomed)) AS INTEGER) AS k
      FROM (SELECT person_id, unnest(range(CAST(floor(random() * (2 + age / 6.0)) AS INTEGER))) FROM bench_people)) p
JOIN bench_snomed s USING (k);

INSERT INTO gp_medication BY NAME
SELECT p.person_id, FALSE AS id_from_local, DATE '2025-04-01' + CAST(floor(random() * 365) AS INTEGER) AS issue_date,
       d.code AS dmd_code, 28 AS quantity, 'F81001' AS practice_code, 'F81001' AS source_org_code,
       1 AS load_batch_id, TIMESTAMP '2026-04-01' AS loaded_at
FROM (SELECT person_id, CAST(floor(random() * (SELECT count(*) FROM bench_dmd)) AS INTEGER) AS k
      FROM (SELECT person_id, unnest(range(CAST(floor(random() * (1 + age / 5.0)) AS INTEGER))) FROM bench_people)) p
JOIN bench_dmd d USING (k);

INSERT INTO ae_attendance BY NAME
SELECT 'A' || CAST(row_number() OVER () AS VARCHAR) AS attendance_id, person_id, FALSE AS id_from_local,
       'RAJ01' AS site_code, '01' AS department_type,
       TIMESTAMP '2025-04-01' + INTERVAL (CAST(floor(random() * 365 * 86400) AS BIGINT)) SECOND AS arrival_at,
       'RAJ' AS source_org_code, 1 AS load_batch_id, TIMESTAMP '2026-04-01' AS loaded_at
FROM (SELECT person_id, unnest(range(CAST(floor(random() * (0.5 + age / 80.0)) AS INTEGER))) FROM bench_people);

INSERT INTO apc_spell BY NAME
SELECT 'S' || CAST(row_number() OVER () AS VARCHAR) AS spell_id, person_id, FALSE AS id_from_local,
       TIMESTAMP '2025-04-01' + INTERVAL (CAST(floor(random() * 365 * 86400) AS BIGINT)) SECOND AS admission_at,
       '21' AS admission_method, TRUE AS is_emergency,
       'RAJ' AS source_org_code, 1 AS load_batch_id, TIMESTAMP '2026-04-01' AS loaded_at
FROM (SELECT person_id, unnest(range(CAST(floor(random() * random() * (0.3 + age / 40.0)) AS INTEGER))) FROM bench_people);

DROP TABLE bench_people;
DROP TABLE bench_snomed;
DROP TABLE bench_dmd;
