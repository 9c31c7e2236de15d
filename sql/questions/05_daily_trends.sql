-- Q5a. Trend per loaded day: valid searches and users, the change against the previous calendar day
-- (NULL when that day is not loaded), the 7-day moving average (a 7-row window, shown only when it
-- spans 7 consecutive calendar days) and the z-score against the period: (value - mean) / sample
-- standard deviation. A day stands out when |z| >= 2 for valid searches or for users.
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
daily_windows AS (
  SELECT
    day,
    num_valid_searches,
    num_users,
    LAG(day) OVER (ORDER BY day) AS previous_day,
    LAG(num_valid_searches) OVER (ORDER BY day) AS previous_searches,
    LAG(num_users) OVER (ORDER BY day) AS previous_users,
    COUNT(*) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS window_days,
    MIN(day) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS window_start,
    AVG(CAST(num_valid_searches AS DOUBLE PRECISION))
      OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS window_avg_searches,
    AVG(CAST(num_users AS DOUBLE PRECISION))
      OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS window_avg_users
  FROM daily_counts
),
daily_measures AS (
  SELECT
    w.day,
    CAST(EXTRACT(DOW FROM w.day) AS INTEGER) AS day_of_week,
    w.num_valid_searches,
    w.num_users,
    CASE WHEN w.previous_day = w.day - 1 THEN w.num_valid_searches - w.previous_searches END AS searches_change,
    CASE WHEN w.previous_day = w.day - 1 THEN
      100 * CAST(w.num_valid_searches - w.previous_searches AS DOUBLE PRECISION) / NULLIF(w.previous_searches, 0)
    END AS searches_change_pct,
    CASE WHEN w.previous_day = w.day - 1 THEN w.num_users - w.previous_users END AS users_change,
    CASE WHEN w.previous_day = w.day - 1 THEN
      100 * CAST(w.num_users - w.previous_users AS DOUBLE PRECISION) / NULLIF(w.previous_users, 0)
    END AS users_change_pct,
    CASE WHEN w.window_days = 7 AND w.window_start = w.day - 6 THEN w.window_avg_searches END AS searches_avg_7d,
    CASE WHEN w.window_days = 7 AND w.window_start = w.day - 6 THEN w.window_avg_users END AS users_avg_7d,
    (w.num_valid_searches - p.mean_searches) / NULLIF(p.sd_searches, 0) AS searches_z,
    (w.num_users - p.mean_users) / NULLIF(p.sd_users, 0) AS users_z
  FROM daily_windows AS w
  CROSS JOIN period_stats AS p
)
SELECT
  day,
  CASE day_of_week
    WHEN 1 THEN 'Monday' WHEN 2 THEN 'Tuesday' WHEN 3 THEN 'Wednesday' WHEN 4 THEN 'Thursday'
    WHEN 5 THEN 'Friday' WHEN 6 THEN 'Saturday' ELSE 'Sunday'
  END AS weekday,
  num_valid_searches,
  num_users,
  searches_change,
  CAST(ROUND(CAST(searches_change_pct AS DECIMAL(18, 6)), 1) AS DOUBLE PRECISION) AS searches_change_pct,
  users_change,
  CAST(ROUND(CAST(users_change_pct AS DECIMAL(18, 6)), 1) AS DOUBLE PRECISION) AS users_change_pct,
  CAST(ROUND(CAST(searches_avg_7d AS DECIMAL(18, 6)), 2) AS DOUBLE PRECISION) AS searches_avg_7d,
  CAST(ROUND(CAST(users_avg_7d AS DECIMAL(18, 6)), 2) AS DOUBLE PRECISION) AS users_avg_7d,
  CAST(ROUND(CAST(searches_z AS DECIMAL(18, 6)), 2) AS DOUBLE PRECISION) AS searches_z,
  CAST(ROUND(CAST(users_z AS DECIMAL(18, 6)), 2) AS DOUBLE PRECISION) AS users_z,
  CASE WHEN ABS(searches_z) >= 2 OR ABS(users_z) >= 2 THEN TRUE ELSE FALSE END AS is_standout
FROM daily_measures
ORDER BY day;
