import { isValidSearch, typeBucket, type Search, type TypeBucket } from './search';

/** A valid search with its 1-based position in the user's user_data (`search_seq`). */
export interface ValidSearch {
  readonly seq: number;
  readonly search: Search;
  readonly bucket: TypeBucket;
}

/** The per-user figures of the cleaned dataset (contract §3.1). */
export interface UserSummary {
  readonly validSearches: readonly ValidSearch[];
  readonly numEligibleSearches: number;
  /** ceil(mean listings of the valid searches); 0 when there is none (such users are not written). */
  readonly avgListings: number;
  readonly numRental: number;
  readonly numSale: number;
  readonly numNone: number;
}

/** ceil(a / b) in integer arithmetic, for a >= 0 and b > 0. */
export function ceilDiv(a: number, b: number): number {
  const remainder = a % b;
  return (a - remainder) / b + (remainder > 0 ? 1 : 0);
}

export function summarizeUser(searches: readonly Search[]): UserSummary {
  const validSearches: ValidSearch[] = [];
  let listings = 0;
  let numRental = 0;
  let numSale = 0;
  let numNone = 0;
  for (let i = 0; i < searches.length; i++) {
    const search = searches[i] as Search;
    if (!isValidSearch(search)) continue;
    const bucket = typeBucket(search.type);
    if (bucket === 'rental') numRental++;
    else if (bucket === 'sale') numSale++;
    else numNone++;
    listings += search.listings;
    validSearches.push({ seq: i + 1, search, bucket });
  }
  const n = validSearches.length;
  return {
    validSearches,
    numEligibleSearches: n,
    avgListings: n === 0 ? 0 : ceilDiv(listings, n),
    numRental,
    numSale,
    numNone,
  };
}

const toJson = JSON.stringify; // no global lookup per search

function searchJson(s: Search, q: string): string {
  // Built by hand for speed, in the key order of the contract's example. search_id and created_at are
  // digit strings (no escaping needed); type is arbitrary text.
  const createdAt = s.createdAt === null ? 'null' : `${q}${s.createdAt}${q}`;
  let type = 'null';
  if (s.type !== null) type = q === '"' ? toJson(s.type) : toJson(s.type).replaceAll('"', q);
  return (
    `{${q}search_id${q}:${q}${s.searchId}${q},${q}enabled${q}:${s.enabled},${q}clicks${q}:${s.clicks},` +
    `${q}created_at${q}:${createdAt},${q}listings${q}:${s.listings},${q}type${q}:${type}}`
  );
}

/**
 * `valid_search_data`: a JSON array of the valid searches with typed values, e.g.
 * `[{"search_id":"4410","enabled":true,"clicks":4,"created_at":"20210702","listings":6,"type":"Rental"}]`.
 * Decision: an absent optional key (created_at, type) is written as null, so every object has the same keys.
 * `quote` is what each JSON double quote is written as: `""` gives the text already escaped for a
 * quoted CSV field, without a second pass over a long row.
 */
export function validSearchDataJson(validSearches: readonly ValidSearch[], quote: '"' | '""' = '"'): string {
  let json = '[';
  for (let i = 0; i < validSearches.length; i++) {
    if (i > 0) json += ',';
    json += searchJson((validSearches[i] as ValidSearch).search, quote);
  }
  return `${json}]`;
}
