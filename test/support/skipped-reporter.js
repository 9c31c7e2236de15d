/**
 * Lists every skipped test at the end of a run, with its file: in a run of many suites Jest's
 * default reporter only counts them ("Tests: 1 skipped"). A suite skipped for a missing external
 * part says which part in its title (see required-parts.ts), so this names the suite and why.
 */
const path = require('node:path');

class SkippedReporter {
  /** @param {import('@jest/reporters').Config.GlobalConfig} globalConfig */
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  /** @param {unknown} _contexts @param {import('@jest/reporters').AggregatedResult} results */
  onRunComplete(_contexts, results) {
    const skipped = results.testResults.flatMap((file) =>
      file.testResults
        .filter((test) => test.status === 'pending')
        .map((test) => `  ${path.relative(this.rootDir, file.testFilePath)}: ${test.fullName}`),
    );
    if (skipped.length === 0) return;
    process.stderr.write(`\nSkipped (${skipped.length}):\n${skipped.join('\n')}\n`);
  }
}

module.exports = SkippedReporter;
