-- Q2. Valid searches (enabled and clicks >= 3) per loaded day, split by type bucket, with the number of
-- distinct search ids. Counts come from search_stats, so a loaded day with no valid search shows 0.
WITH unique_search_ids_per_day AS (
  SELECT day, CAST(COUNT(DISTINCT search_id) AS INTEGER) AS num_unique_search_ids
  FROM valid_searches
  GROUP BY day
)
SELECT
  s.day,
  s.num_searches AS num_valid_searches,
  s.num_rental_searches,
  s.num_sale_searches,
  s.num_none_searches,
  COALESCE(u.num_unique_search_ids, 0) AS num_unique_search_ids
FROM search_stats AS s
LEFT JOIN unique_search_ids_per_day AS u ON u.day = s.day
ORDER BY s.day;
