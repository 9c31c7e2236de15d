-- The dashboard preview's daily volumes: per loaded day, the rows Clean read, kept, found duplicate
-- and rejected (the day's current run, as search_stats records it) and the valid searches Load put in
-- valid_searches: the local stand-ins for the RowsRead/Kept/Duplicate/Rejected and RowsLoaded metrics.
WITH loaded AS (
  SELECT day, CAST(COUNT(*) AS INTEGER) AS valid_searches_loaded
  FROM valid_searches
  GROUP BY day
)
SELECT
  s.day,
  s.rows_read,
  s.rows_kept,
  s.rows_duplicate,
  s.rows_rejected,
  COALESCE(l.valid_searches_loaded, 0) AS valid_searches_loaded
FROM search_stats AS s
LEFT JOIN loaded AS l ON l.day = s.day
ORDER BY s.day;
