-- Q5c. Days that stand out, and how far: a (day, measure) pair is listed when the day's valid searches
-- or users are at least 2 sample standard deviations from the period mean (|z| >= 2), with the mean,
-- the z-score and the gap in percent. Largest |z| first. Under 6 loaded days no day can reach it
-- (the largest possible |z| over n days is (n - 1) / sqrt(n)).
WITH daily_counts AS (
  SELECT day, num_searches AS num_valid_searches, num_users
  FROM search_stats
),
period_stats AS (
  SELECT
    AVG(CAST(num_valid_searches AS DOUBLE PRECISION)) AS mean_searches,
    STDDEV_SAMP(CAST(num_valid_searches AS DOUBLE PRECISION)) AS sd_searches,
    AVG(CAST(num_users AS DOUBLE PRECISION)) AS mean_users,
    STDDEV_SAMP(CAST(num_users AS DOUBLE PRECISION)) AS sd_users
  FROM daily_counts
),
day_measures AS (
  SELECT d.day, 'valid_searches' AS measure, d.num_valid_searches AS value, p.mean_searches AS period_mean,
    p.sd_searches AS period_sd
  FROM daily_counts AS d
  CROSS JOIN period_stats AS p
  UNION ALL
  SELECT d.day, 'users' AS measure, d.num_users AS value, p.mean_users AS period_mean, p.sd_users AS period_sd
  FROM daily_counts AS d
  CROSS JOIN period_stats AS p
),
scored_days AS (
  SELECT day, measure, value, period_mean, (value - period_mean) / NULLIF(period_sd, 0) AS z_score
  FROM day_measures
)
SELECT
  day,
  CASE CAST(EXTRACT(DOW FROM day) AS INTEGER)
    WHEN 1 THEN 'Monday' WHEN 2 THEN 'Tuesday' WHEN 3 THEN 'Wednesday' WHEN 4 THEN 'Thursday'
    WHEN 5 THEN 'Friday' WHEN 6 THEN 'Saturday' ELSE 'Sunday'
  END AS weekday,
  measure,
  value,
  CAST(ROUND(CAST(period_mean AS DECIMAL(18, 6)), 2) AS DOUBLE PRECISION) AS period_mean,
  CAST(ROUND(CAST(z_score AS DECIMAL(18, 6)), 2) AS DOUBLE PRECISION) AS z_score,
  CAST(ROUND(CAST(100 * (value - period_mean) / NULLIF(period_mean, 0) AS DECIMAL(18, 6)), 1)
    AS DOUBLE PRECISION) AS vs_mean_pct,
  CASE WHEN z_score > 0 THEN 'above' ELSE 'below' END AS direction
FROM scored_days
WHERE ABS(z_score) >= 2
ORDER BY ABS(z_score) DESC, day, measure;
