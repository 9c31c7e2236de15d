-- Replacing a day starts by deleting it: there is no ON CONFLICT on Redshift and TRUNCATE would
-- commit the open transaction. Loading a day twice therefore never duplicates it.
DELETE FROM search_stats WHERE day = CAST(:day AS DATE);
