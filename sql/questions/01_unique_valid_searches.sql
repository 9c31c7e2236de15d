-- Q1a. Unique valid searches over the whole period, one row per search_id. search_id is not unique
-- (the same id recurs across users and days), so each row says how often, by how many users and on
-- how many days it was a valid search (enabled and clicks >= 3), and its clicks in total.
WITH valid_search_rows AS (
  SELECT search_id, day, user_id, clicks
  FROM valid_searches
)
SELECT
  search_id,
  CAST(COUNT(*) AS INTEGER) AS num_valid_searches,
  CAST(COUNT(DISTINCT user_id) AS INTEGER) AS num_users,
  CAST(COUNT(DISTINCT day) AS INTEGER) AS num_days,
  MIN(day) AS first_day,
  MAX(day) AS last_day,
  CAST(SUM(clicks) AS BIGINT) AS total_clicks
FROM valid_search_rows
GROUP BY search_id
ORDER BY search_id;
