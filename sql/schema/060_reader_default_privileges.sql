-- And to every table the migrations create later: default privileges apply to objects that the user
-- running this statement (the load role's database user, which runs every migration) creates in
-- this schema from now on; existing tables are not changed, hence the GRANT before.
-- https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_DEFAULT_PRIVILEGES.html
-- migrate: may-need-admin
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO /*redshift: ROLE */search_stats_reader;
