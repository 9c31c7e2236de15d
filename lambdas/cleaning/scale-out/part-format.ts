/**
 * A worker's part object: what one batch contributes to the day, with enough per row to let the
 * Combine step decide each row's global outcome without the data.
 *
 *     {"format":...,"firstIndex":..,"rows":..,"sections":{"index":B,"cleaned":B,...}}\n
 *     <index><cleaned><valid><rejected><raw>          (sections back to back, B = UTF-8 bytes)
 *
 * `index` is a JSON array with one entry per row, in row order (the user index, see IndexEntry;
 * each entry a compact array, see {@link encodeEntry}); the other sections are text already rendered
 * by the clean step's own row functions, in row order: the cleaned and valid-search rows of the rows
 * kept in the batch, the rejected rows of the rows rejected in the batch, and `raw`, the
 * rejected-rows form of each row that a later look at the whole day may still turn into a
 * rejection. Each entry gives the length (UTF-16 code units) of what its row has in each section.
 * `raw` comes last so that the Combine step can read a part without it (a ranged GET up to
 * `rawOffset`) and fetch it only for the rare batch that needs it.
 */
import { InvalidRequest } from '../../shared/errors';

export const PART_FORMAT = 'search-stats/scale-out-part@1';

export const SECTIONS = ['index', 'cleaned', 'valid', 'rejected', 'raw'] as const;
export type Section = (typeof SECTIONS)[number];

/**
 * A row's outcome within its batch (by the clean step's RowAccountant) and what the Combine step
 * needs to settle it globally:
 * - `final`: rejected before the user_id could be remembered or compared (CSV level, empty or
 *   too long user_id): rejected whatever other batches hold.
 * - `kept`: the first readable line of its user_id in the batch.
 * - `duplicate`: same user_data as the batch's kept line of its user_id.
 * - `conflict`: different user_data than the batch's kept line of its user_id (`duplicate_user_id`).
 * - `unreadable`: a user_data that does not parse, no kept line of its user_id earlier in the batch.
 * `hash` is hash53 of the user_data, as the clean step's RowAccountant compares them.
 */
export type IndexEntry =
  | {
      readonly kind: 'final';
      readonly line: number;
      readonly reason: string;
      readonly detail: string;
      readonly rejected: number;
    }
  | {
      readonly kind: 'kept';
      readonly line: number;
      readonly userId: string;
      readonly hash: number;
      readonly cleaned: number;
      readonly valid: number;
      readonly raw: number;
      /** The user's contribution to the day's aggregates. */
      readonly searches: number;
      readonly rental: number;
      readonly sale: number;
      readonly none: number;
    }
  | {
      readonly kind: 'duplicate';
      readonly line: number;
      readonly userId: string;
      readonly hash: number;
      readonly raw: number;
    }
  | {
      readonly kind: 'conflict';
      readonly line: number;
      readonly userId: string;
      readonly hash: number;
      readonly reason: string;
      readonly detail: string;
      readonly rejected: number;
    }
  | {
      readonly kind: 'unreadable';
      readonly line: number;
      readonly userId: string;
      readonly hash: number;
      readonly reason: string;
      readonly detail: string;
      readonly rejected: number;
      readonly raw: number;
    };

type Encoded = readonly (string | number)[];

/**
 * An entry as written: an array led by a one-letter kind, fields in a fixed order (about a third of
 * the size of the object form, which matters: the index is read for every row of the day).
 */
export function encodeEntry(e: IndexEntry): Encoded {
  switch (e.kind) {
    case 'final':
      return ['F', e.line, e.reason, e.detail, e.rejected];
    case 'kept':
      return ['K', e.line, e.userId, e.hash, e.cleaned, e.valid, e.raw, e.searches, e.rental, e.sale, e.none];
    case 'duplicate':
      return ['D', e.line, e.userId, e.hash, e.raw];
    case 'conflict':
      return ['C', e.line, e.userId, e.hash, e.reason, e.detail, e.rejected];
    case 'unreadable':
      return ['U', e.line, e.userId, e.hash, e.reason, e.detail, e.rejected, e.raw];
  }
}

export function decodeEntry(a: Encoded): IndexEntry {
  const s = (i: number): string => a[i] as string;
  const n = (i: number): number => a[i] as number;
  switch (a[0]) {
    case 'F':
      return { kind: 'final', line: n(1), reason: s(2), detail: s(3), rejected: n(4) };
    case 'K':
      return {
        kind: 'kept',
        line: n(1),
        userId: s(2),
        hash: n(3),
        cleaned: n(4),
        valid: n(5),
        raw: n(6),
        searches: n(7),
        rental: n(8),
        sale: n(9),
        none: n(10),
      };
    case 'D':
      return { kind: 'duplicate', line: n(1), userId: s(2), hash: n(3), raw: n(4) };
    case 'C':
      return {
        kind: 'conflict',
        line: n(1),
        userId: s(2),
        hash: n(3),
        reason: s(4),
        detail: s(5),
        rejected: n(6),
      };
    case 'U':
      return {
        kind: 'unreadable',
        line: n(1),
        userId: s(2),
        hash: n(3),
        reason: s(4),
        detail: s(5),
        rejected: n(6),
        raw: n(7),
      };
    default:
      throw new InvalidRequest(`unknown index entry kind ${JSON.stringify(a[0])}`);
  }
}

export interface Part {
  readonly firstIndex: number;
  readonly entries: readonly IndexEntry[];
  readonly cleaned: string;
  readonly valid: string;
  readonly rejected: string;
  /** Undefined when the part was read without its raw section. */
  readonly raw?: string;
  /** The raw section's length in characters (known from the index, read or not). */
  readonly rawLength: number;
}

export interface PartHeader {
  readonly format: string;
  readonly firstIndex: number;
  readonly rows: number;
  readonly sections: Record<Section, number>;
}

export interface RenderedPart {
  readonly body: Buffer;
  /** Where the raw section starts: bytes before it are the part without raw. */
  readonly rawOffset: number;
}

/** The part object's bytes. */
export function renderPart(part: Part): RenderedPart {
  const bodies: Record<Section, Buffer> = {
    index: Buffer.from(JSON.stringify(part.entries.map(encodeEntry))),
    cleaned: Buffer.from(part.cleaned),
    valid: Buffer.from(part.valid),
    rejected: Buffer.from(part.rejected),
    raw: Buffer.from(part.raw ?? ''),
  };
  const header: PartHeader = {
    format: PART_FORMAT,
    firstIndex: part.firstIndex,
    rows: part.entries.length,
    sections: Object.fromEntries(SECTIONS.map((s) => [s, bodies[s].length])) as Record<Section, number>,
  };
  const body = Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), ...SECTIONS.map((s) => bodies[s])]);
  return { body, rawOffset: body.length - bodies.raw.length };
}

const rawCharacters = (entries: readonly IndexEntry[]): number =>
  entries.reduce((sum, e) => sum + ('raw' in e ? e.raw : 0), 0);

/**
 * Reads a part object back, whole or up to its raw section (a ranged read). Throws InvalidRequest
 * when it is not one (a bug, not something a retry fixes).
 */
export function parsePart(bytes: Buffer, key: string): Part {
  const newline = bytes.indexOf(0x0a);
  let header: PartHeader;
  try {
    header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as PartHeader;
  } catch (error) {
    throw new InvalidRequest(`${key} is not a scale-out part (no header)`, { cause: error });
  }
  if (header.format !== PART_FORMAT) {
    throw new InvalidRequest(`${key} has format ${header.format}, expected ${PART_FORMAT}`);
  }
  let offset = newline + 1;
  const text: Partial<Record<Section, string>> = {};
  for (const section of SECTIONS) {
    const length = header.sections[section];
    if (section === 'raw' && offset === bytes.length) break; // read without its raw section
    text[section] = bytes.subarray(offset, offset + length).toString('utf8');
    offset += length;
  }
  if (offset !== bytes.length) {
    throw new InvalidRequest(
      `${key}: read ${bytes.length} bytes, its header says the sections end at ${offset}`,
    );
  }
  const entries = (JSON.parse(text.index ?? '[]') as Encoded[]).map(decodeEntry);
  if (entries.length !== header.rows) {
    throw new InvalidRequest(`${key} indexes ${entries.length} rows, its header says ${header.rows}`);
  }
  return {
    firstIndex: header.firstIndex,
    entries,
    cleaned: text.cleaned ?? '',
    valid: text.valid ?? '',
    rejected: text.rejected ?? '',
    ...(text.raw === undefined ? {} : { raw: text.raw }),
    rawLength: rawCharacters(entries),
  };
}

/** A part's key: batches named by their first item index, zero-padded so keys sort in file order. */
export function partKey(partsPrefix: string, firstIndex: number): string {
  return `${partsPrefix}${String(firstIndex).padStart(12, '0')}.part`;
}
