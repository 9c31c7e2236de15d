-- The versions table: one row per applied `sql/schema/` file, so each file runs once and a
-- re-deploy runs only the new ones. Created before anything else, on its own; harmless when it
-- exists. A database with today's tables and no such table is upgraded by running every file: the
-- first ones are CREATE TABLE IF NOT EXISTS, so they only record their version there.
CREATE TABLE IF NOT EXISTS schema_migrations (
  version VARCHAR(32) NOT NULL,
  name VARCHAR(256) NOT NULL,
  applied_at TIMESTAMP NOT NULL,
  PRIMARY KEY (version)
)
/*redshift: DISTSTYLE ALL */;
