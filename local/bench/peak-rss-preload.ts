/**
 * Preloaded (`node --require`) into a CLI process the bench measures (measured-cli.ts): at exit it
 * writes the process's own peak RSS (getrusage maxrss, as child.ts reports it) to the file named
 * by BENCH_PEAK_RSS_FILE.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_PEAK_RSS_FILE;
if (file) {
  process.on('exit', () => {
    writeFileSync(file, JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024 }));
  });
}
