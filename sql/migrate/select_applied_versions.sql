-- The versions already applied: the migrations skip these files. Text, so '010' stays '010'.
SELECT version FROM schema_migrations ORDER BY version;
