-- Read access to the pipeline's tables as they are now (the analysts' tables, not the versions
-- table): the owner, the load role's database user, grants it.
-- migrate: may-need-admin
GRANT SELECT ON TABLE search_stats, valid_searches TO /*redshift: ROLE */search_stats_reader;
