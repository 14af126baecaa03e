-- Tables and columns of the snapshot being checked (checks skip what it does not have).
SELECT table_name, column_name
FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main'
