const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** 12,345 */
export function formatCount(value: number): string {
  return integer.format(value);
}

/** 12.3 (one decimal at most, for averages of counts). */
export function formatAverage(value: number): string {
  return Math.abs(value) >= 100 ? integer.format(value) : oneDecimal.format(value);
}

/** 2.35 */
export function formatRatio(value: number): string {
  return twoDecimals.format(value);
}

/**
 * The fewest decimals, from `min` to `max`, at which values that differ also read differently: three
 * buckets at 6.0213, 6.0188 and 6.0391 print as 6.021, 6.019 and 6.039, not as three 6.02s.
 */
export function separatingDecimals(values: readonly number[], min = 2, max = 4): number {
  const distinct = new Set(values).size;
  for (let d = min; d < max; d++) {
    if (new Set(values.map((v) => v.toFixed(d))).size === distinct) return d;
  }
  return max;
}

/** 6.021 with exactly `decimals` decimals (thousands separated). */
export function formatFixed(value: number, decimals: number): string {
  return new Intl.NumberFormat('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(value);
}

/** +12.3% / -4% / 0% */
export function formatSignedPct(value: number): string {
  const sign = value > 0 ? '+' : value < 0 ? '\u2212' : '';
  return `${sign}${oneDecimal.format(Math.abs(value))}%`;
}

/** 61.5% */
export function formatPct(value: number): string {
  return `${oneDecimal.format(value)}%`;
}

/** +2.4 / -2.1 (a z-score) */
export function formatZ(value: number): string {
  const sign = value > 0 ? '+' : value < 0 ? '\u2212' : '';
  return `${sign}${twoDecimals.format(Math.abs(value))}`;
}

function parts(isoDay: string): { year: number; month: number; date: number; weekday: number } {
  const [y, m, d] = isoDay.split('-').map(Number);
  const at = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  return {
    year: at.getUTCFullYear(),
    month: at.getUTCMonth(),
    date: at.getUTCDate(),
    weekday: at.getUTCDay(),
  };
}

/** Sat 10 Jul */
export function formatDay(isoDay: string): string {
  const p = parts(isoDay);
  return `${WEEKDAYS[p.weekday] ?? ''} ${p.date} ${MONTHS[p.month] ?? ''}`;
}

/** 10 Jul (chart axes) */
export function formatDayShort(isoDay: string): string {
  const p = parts(isoDay);
  return `${p.date} ${MONTHS[p.month] ?? ''}`;
}

/** 2 Jul – 24 Jul 2021, or 2 Jul 2021 for a single day */
export function formatDayRange(first: string, last: string): string {
  const a = parts(first);
  const b = parts(last);
  const end = `${b.date} ${MONTHS[b.month] ?? ''} ${b.year}`;
  if (first === last) return end;
  const start = a.year === b.year ? formatDayShort(first) : `${formatDayShort(first)} ${a.year}`;
  return `${start} \u2013 ${end}`;
}

/** 2021-07-25 06:30 UTC */
export function formatTimestamp(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Type bucket as a reader says it. */
export function typeLabel(bucket: string): string {
  if (bucket === 'rental') return 'Rental';
  if (bucket === 'sale') return 'Sale';
  if (bucket === 'none') return 'No type';
  return bucket;
}

/** Plural noun: 1 day / 3 days */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** A value that may be missing (no previous day, no searches): an en dash stands in for it. */
export function orDash(value: number | null, format: (value: number) => string): string {
  return value === null ? '\u2013' : format(value);
}
