-- Q4c. The highest click count of a single valid search, and how many valid searches (rows of
-- valid_searches), distinct search_ids and users share it: why Q4a ranks search_ids by their total
-- instead of picking one row (one row here "wins" only by a tie-break).
WITH top_count AS (
  SELECT MAX(clicks) AS max_clicks
  FROM valid_searches
)
SELECT
  CAST(t.max_clicks AS INTEGER) AS max_clicks,
  CAST(COUNT(v.search_id) AS INTEGER) AS num_valid_searches,
  CAST(COUNT(DISTINCT v.search_id) AS INTEGER) AS num_search_ids,
  CAST(COUNT(DISTINCT v.user_id) AS INTEGER) AS num_users
FROM top_count AS t
LEFT JOIN valid_searches AS v ON v.clicks = t.max_clicks
GROUP BY t.max_clicks;
