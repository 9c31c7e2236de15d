-- First statement of the load transaction: take both tables before touching them, so loads of
-- different days run one after the other instead of failing with Redshift's "1023 Serializable
-- isolation violation" (back-fills run days in parallel). Released at commit or rollback.
LOCK search_stats, valid_searches;
