-- Q4a. The ten most engaging valid searches, best first; rank 1 is "the most engaging search". A search
-- is one valid_searches row (search_id alone is not unique). Most engaging = most clicks; a tie goes to
-- fewer listings (more of what it showed was clicked), then lower search_id, earlier day, user_id and
-- search_seq, so the order is total. ORDER BY ... LIMIT (a top-N) rather than ranking every row.
WITH top_searches AS (
  SELECT day, user_id, search_seq, search_id, clicks, listings, type, type_bucket
  FROM valid_searches
  ORDER BY clicks DESC, listings ASC, search_id ASC, day ASC, user_id ASC, search_seq ASC
  LIMIT 10
)
SELECT
  CAST(ROW_NUMBER() OVER (
    ORDER BY clicks DESC, listings ASC, search_id ASC, day ASC, user_id ASC, search_seq ASC
  ) AS INTEGER) AS engagement_rank,
  day,
  user_id,
  search_seq,
  search_id,
  clicks,
  listings,
  type,
  type_bucket,
  CAST(ROUND(CAST(CAST(clicks AS DOUBLE PRECISION) / NULLIF(listings, 0) AS DECIMAL(18, 6)), 2)
    AS DOUBLE PRECISION) AS clicks_per_listing
FROM top_searches
ORDER BY engagement_rank;
