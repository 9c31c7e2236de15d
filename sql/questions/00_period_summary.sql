-- The period at a glance (one row): loaded days, valid searches, users and distinct search ids.
-- A day counts when search_stats has its row; users are distinct user_id values over the period,
-- user-days count a user once per day with a valid search (the sum of search_stats.num_users).
WITH loaded_days AS (
  SELECT
    CAST(COUNT(*) AS INTEGER) AS num_days,
    MIN(day) AS first_day,
    MAX(day) AS last_day,
    CAST(COALESCE(SUM(num_searches), 0) AS BIGINT) AS num_valid_searches,
    CAST(COALESCE(SUM(num_users), 0) AS BIGINT) AS num_user_days
  FROM search_stats
),
search_totals AS (
  SELECT
    CAST(COUNT(DISTINCT user_id) AS BIGINT) AS num_distinct_users,
    CAST(COUNT(DISTINCT search_id) AS BIGINT) AS num_unique_search_ids
  FROM valid_searches
)
SELECT
  d.num_days,
  d.first_day,
  d.last_day,
  d.num_valid_searches,
  d.num_user_days,
  s.num_distinct_users,
  s.num_unique_search_ids,
  CAST(ROUND(CAST(CAST(d.num_valid_searches AS DOUBLE PRECISION) / NULLIF(d.num_days, 0) AS DECIMAL(18, 6)), 2)
    AS DOUBLE PRECISION) AS avg_valid_searches_per_day,
  CAST(ROUND(CAST(CAST(d.num_user_days AS DOUBLE PRECISION) / NULLIF(d.num_days, 0) AS DECIMAL(18, 6)), 2)
    AS DOUBLE PRECISION) AS avg_users_per_day
FROM loaded_days AS d
CROSS JOIN search_totals AS s;
