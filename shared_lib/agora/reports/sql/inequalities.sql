-- Activity by IMD 2025 decile of residence (1 = most deprived), between $start and $end:
-- registered people, A&E attendances and emergency admissions. Opt-outs excluded.
WITH people AS (
    SELECT p.person_id, l.imd_decile
    FROM person AS p
    JOIN ref_lsoa AS l USING (lsoa_code)
    WHERE NOT p.opt_out AND p.death_date IS NULL
),
ae AS (
    SELECT a.person_id, count(*) AS n
    FROM ae_attendance AS a
    WHERE CAST(a.arrival_at AS DATE) BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
    GROUP BY a.person_id
),
emergency AS (
    SELECT s.person_id, count(*) AS n
    FROM apc_spell AS s
    WHERE s.is_emergency
      AND CAST(s.admission_at AS DATE) BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
    GROUP BY s.person_id
)
SELECT pe.imd_decile,
       count(*)                          AS people,
       coalesce(sum(ae.n), 0)            AS ae_attendances,
       coalesce(sum(em.n), 0)            AS emergency_admissions
FROM people AS pe
LEFT JOIN ae ON ae.person_id = pe.person_id
LEFT JOIN emergency AS em ON em.person_id = pe.person_id
GROUP BY pe.imd_decile
ORDER BY pe.imd_decile;
