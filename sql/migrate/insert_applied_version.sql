-- Records one applied file, in the same transaction as the file's statement (so a failed file
-- leaves no row and no change), or right after a file that must run outside a transaction.
-- applied_at is a parameter, as loaded_at is in the load: portable and deterministic in tests.
INSERT INTO schema_migrations (version, name, applied_at)
VALUES (CAST(:version AS VARCHAR(32)), CAST(:name AS VARCHAR(256)), CAST(:applied_at AS TIMESTAMP));
