-- One row per valid search, loaded by COPY from the valid-searches CSV that Clean writes (same nine
-- columns, same order). (day, user_id, search_seq) identifies a row; search_id alone does not (it
-- repeats across users and days). Distributed by user so per-user counts stay on one slice, sorted
-- by day so the load's DELETE of a day and per-day queries read only that day's blocks.
CREATE TABLE IF NOT EXISTS valid_searches (
  day DATE NOT NULL,
  user_id VARCHAR(256) NOT NULL,
  search_seq INTEGER NOT NULL,
  search_id BIGINT NOT NULL,
  clicks INTEGER NOT NULL,
  created_at VARCHAR(8) NOT NULL,
  listings INTEGER NOT NULL,
  type VARCHAR(64) NOT NULL,
  type_bucket VARCHAR(8) NOT NULL,
  PRIMARY KEY (day, user_id, search_seq)
)
/*redshift: DISTSTYLE KEY DISTKEY (user_id) SORTKEY (day) */;
