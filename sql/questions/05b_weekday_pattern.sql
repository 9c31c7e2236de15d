-- Q5b. Weekday pattern: the average valid searches and users per loaded day of each weekday
-- (ISO numbering, 1 = Monday), and how far each weekday's average sits from the average over all
-- loaded days, in percent. Weekdays with no loaded day are absent.
WITH daily_counts AS (
  SELECT
    CAST(EXTRACT(DOW FROM day) AS INTEGER) AS day_of_week,
    CAST(num_searches AS DOUBLE PRECISION) AS num_valid_searches,
    CAST(num_users AS DOUBLE PRECISION) AS num_users
  FROM search_stats
),
period_means AS (
  SELECT AVG(num_valid_searches) AS mean_searches, AVG(num_users) AS mean_users
  FROM daily_counts
),
weekday_means AS (
  SELECT
    day_of_week,
    COUNT(*) AS num_days,
    AVG(num_valid_searches) AS avg_valid_searches,
    AVG(num_users) AS avg_users
  FROM daily_counts
  GROUP BY day_of_week
)
SELECT
  CAST(CASE WHEN w.day_of_week = 0 THEN 7 ELSE w.day_of_week END AS INTEGER) AS iso_weekday,
  CASE w.day_of_week
    WHEN 1 THEN 'Monday' WHEN 2 THEN 'Tuesday' WHEN 3 THEN 'Wednesday' WHEN 4 THEN 'Thursday'
    WHEN 5 THEN 'Friday' WHEN 6 THEN 'Saturday' ELSE 'Sunday'
  END AS weekday,
  CAST(w.num_days AS INTEGER) AS num_days,
  CAST(ROUND(CAST(w.avg_valid_searches AS DECIMAL(18, 6)), 2) AS DOUBLE PRECISION) AS avg_valid_searches,
  CAST(ROUND(CAST(w.avg_users AS DECIMAL(18, 6)), 2) AS DOUBLE PRECISION) AS avg_users,
  CAST(ROUND(CAST(100 * (w.avg_valid_searches - p.mean_searches) / NULLIF(p.mean_searches, 0)
    AS DECIMAL(18, 6)), 1) AS DOUBLE PRECISION) AS searches_vs_period_pct,
  CAST(ROUND(CAST(100 * (w.avg_users - p.mean_users) / NULLIF(p.mean_users, 0)
    AS DECIMAL(18, 6)), 1) AS DOUBLE PRECISION) AS users_vs_period_pct
FROM weekday_means AS w
CROSS JOIN period_means AS p
ORDER BY iso_weekday;
