-- One row per loaded day: the day's aggregates (the first six columns and their order are fixed by
-- contract §4: analysts' queries use them) followed by lineage. Keys are informational on
-- Redshift (not enforced), so the load keeps `day` unique itself; PostgreSQL enforces it locally.
-- A few hundred rows a year: a copy on every node (DISTSTYLE ALL), sorted by day.
CREATE TABLE IF NOT EXISTS search_stats (
  day DATE NOT NULL,
  num_users INTEGER NOT NULL,
  num_searches INTEGER NOT NULL,
  num_rental_searches INTEGER NOT NULL,
  num_sale_searches INTEGER NOT NULL,
  num_none_searches INTEGER NOT NULL,
  rows_read INTEGER NOT NULL,
  rows_kept INTEGER NOT NULL,
  rows_duplicate INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  source_key VARCHAR(1024) NOT NULL,
  source_etag VARCHAR(128) NOT NULL,
  run_id VARCHAR(128) NOT NULL,
  code_version VARCHAR(64) NOT NULL,
  loaded_at TIMESTAMP NOT NULL,
  PRIMARY KEY (day)
)
/*redshift: DISTSTYLE ALL SORTKEY (day) */;
