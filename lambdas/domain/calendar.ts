/** Calendar dates as the pipeline names them: `YYYY-MM-DD` (requests) and `YYYYMMDD` (file names). */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

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
  const previous = new Date(instant.getTime() - 86_400_000);
  return previous.toISOString().slice(0, 10);
}
