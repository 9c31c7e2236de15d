-- Q4b. Engagement by search type bucket (rental, sale, none) over the period: clicks and listings per
-- valid search, share of valid searches, and share of users. Users are counted as user-days (once per
-- day with a valid search, like search_stats.num_users); a user-day with two types counts in both,
-- so user shares can add up to more than 100%. Every bucket is listed, with zeros when unused.
-- clicks_per_search keeps 4 decimals: buckets often differ by less than 0.01, and the report must not
-- name a leader it cannot show (within 1% it says "about the same").
WITH type_buckets AS (
  SELECT 'rental' AS type_bucket, 1 AS sort_order
  UNION ALL
  SELECT 'sale', 2
  UNION ALL
  SELECT 'none', 3
),
searches_by_bucket AS (
  SELECT
    type_bucket,
    COUNT(*) AS num_valid_searches,
    SUM(CAST(clicks AS BIGINT)) AS total_clicks,
    SUM(CAST(listings AS BIGINT)) AS total_listings
  FROM valid_searches
  GROUP BY type_bucket
),
user_days_by_bucket AS (
  SELECT type_bucket, COUNT(*) AS num_user_days
  FROM (SELECT DISTINCT type_bucket, day, user_id FROM valid_searches) AS bucket_user_days
  GROUP BY type_bucket
),
all_searches AS (
  SELECT COUNT(*) AS num_valid_searches
  FROM valid_searches
),
all_user_days AS (
  SELECT COUNT(*) AS num_user_days
  FROM (SELECT DISTINCT day, user_id FROM valid_searches) AS active_user_days
)
SELECT
  b.type_bucket,
  CAST(COALESCE(s.num_valid_searches, 0) AS BIGINT) AS num_valid_searches,
  CAST(ROUND(CAST(100 * CAST(COALESCE(s.num_valid_searches, 0) AS DOUBLE PRECISION) / NULLIF(a.num_valid_searches, 0)
    AS DECIMAL(18, 6)), 1) AS DOUBLE PRECISION) AS share_of_searches_pct,
  CAST(COALESCE(u.num_user_days, 0) AS BIGINT) AS num_user_days,
  CAST(ROUND(CAST(100 * CAST(COALESCE(u.num_user_days, 0) AS DOUBLE PRECISION) / NULLIF(au.num_user_days, 0)
    AS DECIMAL(18, 6)), 1) AS DOUBLE PRECISION) AS share_of_users_pct,
  CAST(ROUND(CAST(CAST(s.total_clicks AS DOUBLE PRECISION) / NULLIF(s.num_valid_searches, 0)
    AS DECIMAL(18, 6)), 4) AS DOUBLE PRECISION) AS clicks_per_search,
  CAST(ROUND(CAST(CAST(s.total_listings AS DOUBLE PRECISION) / NULLIF(s.num_valid_searches, 0)
    AS DECIMAL(18, 6)), 2) AS DOUBLE PRECISION) AS listings_per_search
FROM type_buckets AS b
LEFT JOIN searches_by_bucket AS s ON s.type_bucket = b.type_bucket
LEFT JOIN user_days_by_bucket AS u ON u.type_bucket = b.type_bucket
CROSS JOIN all_searches AS a
CROSS JOIN all_user_days AS au
ORDER BY b.sort_order;
