/** Test helpers: render user_data from searches the way upstream writes it (contract §1). */

export const START = '--\\\\n-:';
export const SEP = '\\\\n:';
export const END = '\\n';

export interface SearchFields {
  readonly search_id?: string;
  readonly enabled?: string;
  readonly clicks?: string;
  readonly created_at?: string;
  readonly listings?: string;
  readonly type?: string;
  readonly [key: string]: string | undefined;
}

/** One search from [key, value] pairs, in the order given. */
export function renderPairs(pairs: readonly (readonly [string, string])[]): string {
  return START + pairs.map(([k, v]) => `${k}:${v}`).join(SEP) + END;
}

/** One search from an object, keys in insertion order, undefined values left out. */
export function renderSearch(fields: SearchFields): string {
  return renderPairs(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
}

export const standard = (over: Partial<SearchFields> = {}): SearchFields => ({
  search_id: '4410',
  enabled: 'True',
  clicks: '4',
  created_at: '20210702',
  listings: '6',
  type: 'Rental',
  ...over,
});
