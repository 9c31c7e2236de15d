import '../../lib/local/polyfills';
// s3rver corrupts streamed PutObject bodies when the SDK adds flexible checksums.
process.env.AWS_REQUEST_CHECKSUM_CALCULATION ??= 'WHEN_REQUIRED';
