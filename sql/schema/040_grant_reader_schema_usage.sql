-- Readers must be able to look up the tables in their schema. Redshift names a role grantee with
-- ROLE (a bare name is a user); PostgreSQL has no such keyword.
-- https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html
-- migrate: may-need-admin
GRANT USAGE ON SCHEMA public TO /*redshift: ROLE */search_stats_reader;
