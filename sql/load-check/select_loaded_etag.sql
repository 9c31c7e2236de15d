-- Which version of the day file the warehouse holds (its ETag): a run started for one version of a
-- day file ("skipIfLoaded", the Trigger's runs) loads nothing when it is this one, so a copy of a
-- file already loaded, or a second start of its version, never replaces the day again. No row: the
-- day is not loaded. Kept out of sql/load/, whose every file is a statement of the load transaction.
SELECT source_etag FROM search_stats WHERE day = CAST(:day AS DATE)
