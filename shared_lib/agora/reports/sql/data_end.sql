-- The last day of A&E activity in the store: reports end their periods here by default.
SELECT CAST(max(arrival_at) AS DATE) AS data_end FROM ae_attendance;
