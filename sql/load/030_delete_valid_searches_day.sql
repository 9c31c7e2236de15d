-- The day's detail rows go too, in the same transaction: a failed load leaves the previous rows.
DELETE FROM valid_searches WHERE day = CAST(:day AS DATE);
