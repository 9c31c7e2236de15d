-- Last statement of the load: fails it, so the whole batch rolls back, unless the day has exactly one
-- search_stats row and the copied valid searches add up to it (a stale or wrong manifest must not be
-- committed beside fresh aggregates). Dividing by zero is the portable way to raise from plain SQL.
WITH copied AS (
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
FROM copied CROSS JOIN day_stats;
