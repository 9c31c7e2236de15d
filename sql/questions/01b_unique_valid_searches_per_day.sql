-- Q1b. Unique valid searches per day, one row per (day, search_id): how many valid searches carried
-- that id that day, from how many users, with how many clicks. Count the rows of a day for its
-- number of unique search ids (02 reports that count directly).
WITH valid_search_rows AS (
  SELECT day, search_id, user_id, clicks
  FROM valid_searches
)
SELECT
  day,
  search_id,
  CAST(COUNT(*) AS INTEGER) AS num_valid_searches,
  CAST(COUNT(DISTINCT user_id) AS INTEGER) AS num_users,
  CAST(SUM(clicks) AS BIGINT) AS total_clicks
FROM valid_search_rows
GROUP BY day, search_id
ORDER BY day, search_id;
