/**
 * Calendar dates as the pipeline names them: `YYYY-MM-DD` (requests) and `YYYYMMDD` (file names), in
 * UTC. The one date module: the steps, the back-fill plan and the local tools all use it.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const DAY_MS = 86_400_000;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True when year-month-day names a day of the Gregorian calendar (year 1..9999). */
export function isRealDate(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function matchesRealDate(pattern: RegExp, text: string): boolean {
  const m = pattern.exec(text);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** `2021-07-02` -> true; `2021-02-30`, `2021-7-2` -> false. */
export function isIsoDate(text: string): boolean {
  return matchesRealDate(ISO_DATE, text);
}

/** `20210702` -> true; `20210230`, `2021072` -> false. */
export function isCompactDate(text: string): boolean {
  return matchesRealDate(COMPACT_DATE, text);
}

/** `2021-07-02` -> `20210702`. The caller has checked the date. */
export function toCompactDate(isoDate: string): string {
  return isoDate.replaceAll('-', '');
}

/** The UTC day before the instant, `YYYY-MM-DD`: a run scheduled at 00:30 on the 3rd processes the 2nd. */
export function previousUtcDay(instant: Date): string {
  const previous = new Date(instant.getTime() - DAY_MS);
  return previous.toISOString().slice(0, 10);
}

/** Days since 1970-01-01 of a checked `YYYY-MM-DD` date. */
const epochDay = (isoDate: string): number => Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS;

/** Days from `from` to `to`, both included (0 when `to` is before `from`). Both are checked dates. */
export function countDays(from: string, to: string): number {
  return Math.max(0, epochDay(to) - epochDay(from) + 1);
}

/** Every day from `from` to `to`, both included, in order (none when `to` is before `from`). */
export function daysInRange(from: string, to: string): string[] {
  const first = epochDay(from);
  return Array.from({ length: countDays(from, to) }, (_, i) =>
    new Date((first + i) * DAY_MS).toISOString().slice(0, 10),
  );
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(isoDate: string): number {
  return new Date(`${isoDate}T00:00:00Z`).getUTCDay();
}
