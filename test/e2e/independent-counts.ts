/**
 * search_stats for a day file, computed from the contract directly and independently of the pipeline's
 * code: unzip, split lines, split searches on the grammar's markers, apply the validity rule.
 */
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';

export interface ExpectedStats {
  num_users: number;
  num_searches: number;
  num_rental_searches: number;
  num_sale_searches: number;
  num_none_searches: number;
}

const SEARCH_START = '--\\\\n-:';
const FIELD_SEP = '\\\\n:';
const SEARCH_END = '\\n';

function searchesOf(userData: string): Map<string, string>[] {
  return userData
    .split(SEARCH_START)
    .slice(1)
    .map((chunk) => {
      const body = chunk.endsWith(SEARCH_END) ? chunk.slice(0, -SEARCH_END.length) : chunk;
      return new Map(
        body.split(FIELD_SEP).map((field) => {
          const at = field.indexOf(':');
          return [field.slice(0, at), field.slice(at + 1)] as [string, string];
        }),
      );
    });
}

export function expectedStats(zipFile: string): ExpectedStats {
  const [csvBytes] = Object.values(unzipSync(readFileSync(zipFile)));
  const lines = new TextDecoder().decode(csvBytes).split(/\r?\n/).slice(1).filter(Boolean);
  const stats: ExpectedStats = {
    num_users: 0,
    num_searches: 0,
    num_rental_searches: 0,
    num_sale_searches: 0,
    num_none_searches: 0,
  };
  for (const line of new Set(lines)) {
    const userData = line.slice(line.indexOf(',') + 1);
    const valid = searchesOf(userData).filter(
      (s) => s.get('enabled')?.toLowerCase() === 'true' && Number(s.get('clicks')) >= 3,
    );
    if (valid.length > 0) stats.num_users++;
    for (const s of valid) {
      stats.num_searches++;
      const type = s.get('type');
      if (type === 'Rental') stats.num_rental_searches++;
      else if (type === 'Sales') stats.num_sale_searches++;
      else stats.num_none_searches++;
    }
  }
  return stats;
}
