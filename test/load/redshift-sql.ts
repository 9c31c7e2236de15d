/**
 * The load batch exactly as the Redshift Data API must receive it for the July 2 fixture: the
 * contract the mocked-client tests compare against (a change to sql/load/ shows up here).
 */
export const JULY_2_MANIFEST_URI = 's3://clean/valid-searches/valid_searches20210702.csv.manifest';

export const REDSHIFT_LOAD_SQLS = [
  'LOCK search_stats, valid_searches',
  'DELETE FROM search_stats WHERE day = CAST(:day AS DATE)',
  'DELETE FROM valid_searches WHERE day = CAST(:day AS DATE)',
  `COPY valid_searches (day, user_id, search_seq, search_id, clicks, created_at, listings, type, type_bucket)
FROM '${JULY_2_MANIFEST_URI}'
IAM_ROLE default FORMAT AS CSV IGNOREHEADER 1 MANIFEST`,
  `INSERT INTO search_stats (
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
)`,
  `WITH copied AS (
  SELECT
    COUNT(*) AS searches,
    COUNT(DISTINCT user_id) AS users,
    COALESCE(SUM(CASE WHEN type_bucket = 'rental' THEN 1 ELSE 0 END), 0) AS rental_searches,
    COALESCE(SUM(CASE WHEN type_bucket = 'sale' THEN 1 ELSE 0 END), 0) AS sale_searches,
    COALESCE(SUM(CASE WHEN type_bucket = 'none' THEN 1 ELSE 0 END), 0) AS none_searches
  FROM valid_searches
  WHERE day = CAST(:day AS DATE)
),
day_stats AS (
  SELECT COUNT(*) AS stats_rows FROM search_stats WHERE day = CAST(:day AS DATE)
)
SELECT 1 / CASE
    WHEN day_stats.stats_rows = 1
      AND copied.searches = CAST(:num_searches AS INTEGER)
      AND copied.users = CAST(:num_users AS INTEGER)
      AND copied.rental_searches = CAST(:num_rental_searches AS INTEGER)
      AND copied.sale_searches = CAST(:num_sale_searches AS INTEGER)
      AND copied.none_searches = CAST(:num_none_searches AS INTEGER)
    THEN 1 ELSE 0 END AS day_is_consistent
FROM copied CROSS JOIN day_stats`,
];

/** The parameters of the July 2 fixture loaded at 2021-07-03T00:30:05.250Z. */
export const JULY_2_PARAMETERS = [
  { name: 'day', value: '2021-07-02' },
  { name: 'num_users', value: '2' },
  { name: 'num_searches', value: '3' },
  { name: 'num_rental_searches', value: '1' },
  { name: 'num_sale_searches', value: '1' },
  { name: 'num_none_searches', value: '1' },
  { name: 'rows_read', value: '4' },
  { name: 'rows_kept', value: '3' },
  { name: 'rows_duplicate', value: '1' },
  { name: 'rows_rejected', value: '0' },
  { name: 'source_key', value: 'user-data/session_user_data20210702.zip' },
  { name: 'source_etag', value: '"0123abcd"' },
  { name: 'run_id', value: 'run-20210702' },
  { name: 'code_version', value: 'test' },
  { name: 'loaded_at', value: '2021-07-03 00:30:05.250' },
];
