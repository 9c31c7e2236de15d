/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  setupFiles: ['<rootDir>/test/setup/polyfills.ts'],
  testTimeout: 60000,
  // PGlite and s3rver tests share the two cores; keep parallelism modest.
  maxWorkers: 2,
  // The default output, then every skipped test by name (a missing PostgreSQL or Chromium says so).
  reporters: ['default', '<rootDir>/test/support/skipped-reporter.js'],
};
