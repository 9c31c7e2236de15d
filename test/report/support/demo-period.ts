/**
 * A month that looks like the real data (weekly rhythm, one promotion spike, repeat users and search
 * ids), generated deterministically, for the report tests and their screenshot.
 */
import { addDays } from './oracle';
import { statsFor, type DayStats, type TypeBucket, type ValidSearch } from './period-fixture';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEEKDAY_FACTOR = [1.25, 0.95, 0.9, 0.92, 1.0, 1.08, 1.3]; // Sunday first

export interface DemoPeriod {
  readonly searches: ValidSearch[];
  readonly stats: DayStats[];
}

export function demoPeriod(first = '2021-07-02', numDays = 23, spikeDay = '2021-07-15'): DemoPeriod {
  const random = mulberry32(20210702);
  const days = Array.from({ length: numDays }, (_, i) => addDays(first, i));
  const searches: ValidSearch[] = [];
  for (const [i, day] of days.entries()) {
    const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
    const growth = 1 + i * 0.006;
    const spike = day === spikeDay ? 1.85 : 1;
    const users = Math.round(170 * (WEEKDAY_FACTOR[dow] ?? 1) * growth * spike * (0.94 + random() * 0.12));
    const ids = new Set<string>();
    while (ids.size < users) ids.add(`${1000 + Math.floor(random() * 1400)}`);
    for (const userId of ids) {
      const count = random() < 0.1 ? 2 + Math.floor(random() * 5) : 1;
      for (let seq = 1; seq <= count; seq += 1) {
        const r = random();
        const [type, typeBucket]: [string, TypeBucket] =
          r < 0.56 ? ['Rental', 'rental'] : r < 0.9 ? ['Sales', 'sale'] : ['', 'none'];
        const bonus = typeBucket === 'rental' ? 1.2 : 1;
        searches.push({
          day,
          userId,
          searchSeq: seq,
          searchId: 4000 + Math.floor(random() * 3000),
          clicks: 3 + Math.floor(-Math.log(1 - random()) * 4.5 * bonus),
          listings: Math.floor(random() * 28),
          type,
          typeBucket,
        });
      }
    }
  }
  return { searches, stats: statsFor(days, searches) };
}
