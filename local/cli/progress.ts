/**
 * Progress of a run on stderr: days done / failed and rows per second. On a terminal one line is
 * rewritten in place; otherwise one line per finished day (logs stay readable).
 */
import type { DayResult } from '../runner/execute-day';
import type { CliIo } from './io';

export interface Progress {
  dayDone(result: DayResult): void;
  finish(): void;
}

export function createProgress(io: CliIo, totalDays: number, now: () => number = Date.now): Progress {
  const started = now();
  let done = 0;
  let failed = 0;
  let rows = 0;
  const tty = io.stderr.isTTY === true;
  const rate = (): string => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    // Grouped by hand: toLocaleString's first call loads ICU data (~0.3 s of a one-day run).
    return `${String(Math.round(rows / seconds)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} rows/s`;
  };
  return {
    dayDone(result) {
      done++;
      if (result.status === 'FAILED') failed++;
      rows += result.clean?.counts.read ?? 0;
      const status = `days ${done}/${totalDays} done, ${failed} failed, ${rate()}`;
      if (tty) io.stderr.write(`\r\x1b[2K${status}`);
      else
        io.stderr.write(
          `${result.day} ${result.status.toLowerCase()} (${(result.millis / 1000).toFixed(1)} s); ${status}\n`,
        );
    },
    finish() {
      if (tty && done > 0) io.stderr.write('\n');
    },
  };
}
