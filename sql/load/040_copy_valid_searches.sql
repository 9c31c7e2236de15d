-- Loads the day's valid searches from the CSV Clean wrote (header + these nine columns), through
-- its manifest: a plain S3 path in COPY is a prefix and would also load `...csv.old`.
-- The source cannot be a Data API parameter: code replaces the '{{manifest_uri}}' literal with the
-- quoted s3:// URI (configured clean bucket + validated key) on Redshift, and with the local COPY
-- source on PostgreSQL. Empty text fields load as '' in both (Redshift's default; FORCE_NOT_NULL).
COPY valid_searches (day, user_id, search_seq, search_id, clicks, created_at, listings, type, type_bucket)
FROM '{{manifest_uri}}'
/*redshift: IAM_ROLE default FORMAT AS CSV IGNOREHEADER 1 MANIFEST */
/*postgres: WITH (FORMAT csv, HEADER true, FORCE_NOT_NULL (user_id, created_at, type, type_bucket)) */;
