-- The day's search_stats row, from named parameters. The Data API sends every value as text, so each
-- is CAST to its column's type (code checks text lengths first: a cast to VARCHAR(n) would truncate).
-- loaded_at is a parameter too, not GETDATE()/now(): portable, and deterministic in tests.
INSERT INTO search_stats (
  day, num_users, num_searches, num_rental_searches, num_sale_searches, num_none_searches,
  rows_read, rows_kept, rows_duplicate, rows_rejected,
  source_key, source_etag, run_id, code_version, loaded_at
) VALUES (
  CAST(:day AS DATE),
  CAST(:num_users AS INTEGER),
  CAST(:num_searches AS INTEGER),
  CAST(:num_rental_searches AS INTEGER),
  CAST(:num_sale_searches AS INTEGER),
  CAST(:num_none_searches AS INTEGER),
  CAST(:rows_read AS INTEGER),
  CAST(:rows_kept AS INTEGER),
  CAST(:rows_duplicate AS INTEGER),
  CAST(:rows_rejected AS INTEGER),
  CAST(:source_key AS VARCHAR(1024)),
  CAST(:source_etag AS VARCHAR(128)),
  CAST(:run_id AS VARCHAR(128)),
  CAST(:code_version AS VARCHAR(64)),
  CAST(:loaded_at AS TIMESTAMP)
);
