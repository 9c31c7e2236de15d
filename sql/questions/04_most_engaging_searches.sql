-- Q4a. The ten most engaging searches, best first; rank 1 is "the most engaging search". A search is a
-- search_id, ranked over ALL its valid occurrences (every user and day it was a valid search): most
-- clicks in total wins. Ranking single valid_searches rows instead would name one of thousands of rows
-- that share the top click count (a tie, not an answer). Ties on total clicks go to the search used
-- by more users (wider reach), then to the lower search_id, so the order is total.
WITH per_search AS (
  SELECT
    search_id,
    CAST(SUM(clicks) AS BIGINT) AS total_clicks,
    CAST(COUNT(*) AS INTEGER) AS num_valid_searches,
    CAST(COUNT(DISTINCT user_id) AS INTEGER) AS num_users,
    CAST(COUNT(DISTINCT day) AS INTEGER) AS num_days,
    CAST(MAX(clicks) AS INTEGER) AS max_clicks,
    CAST(SUM(listings) AS BIGINT) AS total_listings
  FROM valid_searches
  GROUP BY search_id
),
top_searches AS (
  SELECT *
  FROM per_search
  ORDER BY total_clicks DESC, num_users DESC, search_id ASC
  LIMIT 10
)
SELECT
  CAST(ROW_NUMBER() OVER (ORDER BY total_clicks DESC, num_users DESC, search_id ASC) AS INTEGER)
    AS engagement_rank,
  search_id,
  total_clicks,
  num_valid_searches,
  num_users,
  num_days,
  max_clicks,
  CAST(ROUND(CAST(CAST(total_clicks AS DOUBLE PRECISION) / num_valid_searches AS DECIMAL(18, 6)), 2)
    AS DOUBLE PRECISION) AS clicks_per_search,
  CAST(ROUND(CAST(CAST(total_clicks AS DOUBLE PRECISION) / NULLIF(total_listings, 0) AS DECIMAL(18, 6)), 2)
    AS DOUBLE PRECISION) AS clicks_per_listing
FROM top_searches
ORDER BY engagement_rank;
