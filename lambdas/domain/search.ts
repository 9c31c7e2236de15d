/** One search of a user, with typed values (contract §1, user_data). */
export interface Search {
  /** Kept as the digit string: ids are compared and stored as text in the JSON, BIGINT in the warehouse. */
  readonly searchId: string;
  readonly enabled: boolean;
  readonly clicks: number;
  /** `YYYYMMDD`; null when the search has no `created_at` key. */
  readonly createdAt: string | null;
  readonly listings: number;
  /** Null when the search has no `type` key; may be the empty string. */
  readonly type: string | null;
}

export type TypeBucket = 'rental' | 'sale' | 'none';

/** contract §2: a search is valid when it is enabled and has at least 3 clicks. */
export function isValidSearch(search: Search): boolean {
  return search.enabled && search.clicks >= 3;
}

/**
 * contract §2: `Rental` -> rental, `Sales` -> sale, anything else (empty or absent included) -> none.
 * Decision: the match is exact (case-sensitive), as the contract spells it; only `enabled` is case-insensitive.
 */
export function typeBucket(type: string | null): TypeBucket {
  if (type === 'Rental') return 'rental';
  if (type === 'Sales') return 'sale';
  return 'none';
}
