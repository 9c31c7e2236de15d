-- Q3. Users with at least one valid search, per loaded day (search_stats.num_users), and how many valid
-- searches each of them ran on average that day (NULL on a day with no such user).
WITH daily_counts AS (
  SELECT day, num_users, num_searches
  FROM search_stats
)
SELECT
  day,
  num_users,
  CAST(ROUND(CAST(CAST(num_searches AS DOUBLE PRECISION) / NULLIF(num_users, 0) AS DECIMAL(18, 6)), 2)
    AS DOUBLE PRECISION) AS valid_searches_per_user
FROM daily_counts
ORDER BY day;
