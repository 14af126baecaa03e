-- The last day with activity in the store: dashboards count their periods back from it
-- (synthetic and real feeds both end some time before today).
WITH activity AS (
    SELECT max(arrival_at)::DATE AS d FROM ae_attendance
    UNION ALL SELECT max(admission_at)::DATE FROM apc_spell
    UNION ALL SELECT max(appointment_date)::DATE FROM op_appointment
)
SELECT coalesce(max(d), (SELECT max(finished_at)::DATE FROM load_batch)) AS data_end
FROM activity
