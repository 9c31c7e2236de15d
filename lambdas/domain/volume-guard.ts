/**
 * The volume guard's rule: a header-only file or a file of blank lines is a
 * readable CSV, so without this rule a re-run would replace a loaded day with zeros and exit 0.
 * Pure: the recent days' figures are read by the caller.
 */

export interface VolumeRule {
  /** Smallest share (0..1) of the recent median a day may keep; 0 turns the comparison off. */
  readonly minShare: number;
}

export type VolumeVerdict =
  | { readonly suspicious: false }
  | {
      readonly suspicious: true;
      readonly kept: number;
      /** The median kept rows of the recent days read, when there were any. */
      readonly recentMedian?: number;
      /** Kept rows below this fail; 1 when there is no recent day (no rows at all fails). */
      readonly threshold: number;
      /** How many recent days the median is over. */
      readonly recentDays: number;
    };

/** The median of the values (mean of the middle two for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/**
 * Suspicious when the day kept no rows, or fewer than `minShare` x the median kept rows of the
 * recent days that exist. With no recent day, only "no rows" is suspicious.
 */
export function judgeVolume(kept: number, recentKept: readonly number[], rule: VolumeRule): VolumeVerdict {
  const recentMedian = median(recentKept);
  const relative = recentMedian === undefined || rule.minShare === 0 ? 0 : rule.minShare * recentMedian;
  const threshold = Math.max(1, relative);
  if (kept >= threshold) return { suspicious: false };
  return {
    suspicious: true,
    kept,
    ...(recentMedian === undefined ? {} : { recentMedian }),
    threshold,
    recentDays: recentKept.length,
  };
}

const figure = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** The SuspiciousVolume message: this day's rows, the recent median, the threshold, and the way out. */
export function describeSuspiciousVolume(
  date: string,
  verdict: Extract<VolumeVerdict, { suspicious: true }>,
  rule: VolumeRule,
): string {
  const recent =
    verdict.recentMedian === undefined
      ? 'no previous day has a run record to compare with'
      : `the median of the previous ${verdict.recentDays} day(s) is ${figure(verdict.recentMedian)} kept rows`;
  const limit =
    verdict.recentMedian === undefined || rule.minShare === 0
      ? 'a day must keep at least 1 row'
      : `threshold ${figure(verdict.threshold)} = ${Number((rule.minShare * 100).toFixed(4))}% of the median`;
  return (
    `${date} kept ${verdict.kept} rows; ${recent}; ${limit}. ` +
    'Nothing was replaced. If the drop is expected, re-run with "allowVolumeDrop": true in the execution input'
  );
}
