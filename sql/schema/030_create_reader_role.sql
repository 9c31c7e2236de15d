-- The database role the tables' readers (analysts, the report, BI tools) get: the tables belong to
-- the load role's database user (IAMR:<role>), so nobody else can read them until something is
-- granted. Readers get the role at login from their IAM principal tag RedshiftDbRoles on Serverless,
-- or by GRANT ROLE on a provisioned cluster (README "Querying"). Redshift has no CREATE ROLE IF NOT
-- EXISTS; the versions table runs this once. PostgreSQL roles belong to the whole server and may
-- exist already (another local database), so there it is created only when missing.
-- https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_ROLE.html
-- migrate: may-need-admin
/*redshift: CREATE ROLE search_stats_reader */
/*postgres: DO $$ BEGIN CREATE ROLE search_stats_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$ */;
