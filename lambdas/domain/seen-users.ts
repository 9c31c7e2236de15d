/**
 * The dedup memory of a day: user_id -> fingerprint of the user_data kept for it. The only state of
 * the clean step that grows with the file, so it is kept compact:
 * - a user_id written as a plain decimal number below 2^32 - 1 (no sign, no leading zero: the usual
 *   case) lives in an open-addressing table (linear probing) in one Uint32Array, 12 bytes a slot,
 *   at most 75% full: 16 MB for 1M users, no object per user for the garbage collector to trace;
 * - any other user_id (text, leading zeros, longer) lives in a Map keyed by the exact string.
 * A user_id is in exactly one of the two, decided by its text alone, so lookups are exact.
 */

/** Returned by the lookups when the user_id has no kept line yet. */
export const NOT_SEEN = -1;

const MAX_NUMERIC_DIGITS = 15;
/** Ids from here on do not fit the table's 32-bit keys (id + 1): they go to the Map, as text. */
const MAX_TABLE_ID = 0xfffffffe;
const INITIAL_CAPACITY = 4096;
const MAX_LOAD = 0.75;
const TWO_POW_32 = 4294967296;
/** Consecutive ids placed side by side (see slotOf). */
const RUN = 8;
/** Words per slot: key, fingerprint low 32 bits, fingerprint high 21 bits. */
const SLOT = 3;

/** The user_id as a number when it is a plain decimal (see above), else NOT_SEEN. */
function numericUserId(userId: string): number {
  const length = userId.length;
  if (length === 0 || length > MAX_NUMERIC_DIGITS) return NOT_SEEN;
  if (length > 1 && userId.charCodeAt(0) === 48) return NOT_SEEN; // a leading zero
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = userId.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NOT_SEEN;
    value = value * 10 + digit;
  }
  return value;
}

/** A copy that does not pin its parent: V8 keeps substrings of 13+ chars as slices of the parent. */
function ownedCopy(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

const capacityFor = (users: number): number => Math.max(INITIAL_CAPACITY, Math.ceil(users / MAX_LOAD));

export class SeenUsers {
  /** Slot i: table[3i] = id + 1 (0: free), table[3i + 1..2] = the fingerprint's low and high bits. */
  private table: Uint32Array;
  private capacity: number;
  private numericCount = 0;
  private readonly names = new Map<string, number>();

  /** @param expectedUsers sizes the table up front, sparing the rehashes of growing to it. */
  constructor(expectedUsers = 0) {
    this.capacity = capacityFor(expectedUsers);
    this.table = new Uint32Array(SLOT * this.capacity);
  }

  /** How many user_ids are remembered. */
  get size(): number {
    return this.numericCount + this.names.size;
  }

  /** Bytes held by the numeric table (for the memory report). */
  get tableBytes(): number {
    return this.table.byteLength;
  }

  /** The fingerprint kept for the numeric user_id, or NOT_SEEN after remembering `fingerprint` for it. */
  rememberId(id: number, fingerprint: number): number {
    if (id >= MAX_TABLE_ID) return this.rememberName(String(id), fingerprint);
    const key = id + 1;
    const table = this.table;
    let at = SLOT * this.slotOf(id);
    for (;;) {
      const stored = table[at] as number;
      if (stored === key) return (table[at + 2] as number) * TWO_POW_32 + (table[at + 1] as number);
      if (stored === 0) break;
      at += SLOT;
      if (at === table.length) at = 0;
    }
    table[at] = key;
    table[at + 1] = fingerprint >>> 0;
    table[at + 2] = Math.floor(fingerprint / TWO_POW_32);
    if (++this.numericCount > this.capacity * MAX_LOAD) this.grow();
    return NOT_SEEN;
  }

  /** The fingerprint kept for the numeric user_id, or NOT_SEEN. */
  findId(id: number): number {
    if (id >= MAX_TABLE_ID) return this.findName(String(id));
    const key = id + 1;
    const table = this.table;
    for (let at = SLOT * this.slotOf(id); ;) {
      const stored = table[at] as number;
      if (stored === key) return (table[at + 2] as number) * TWO_POW_32 + (table[at + 1] as number);
      if (stored === 0) return NOT_SEEN;
      at += SLOT;
      if (at === table.length) at = 0;
    }
  }

  /** As rememberId, for a user_id that is not a plain decimal number. */
  rememberName(name: string, fingerprint: number): number {
    const stored = this.names.get(name);
    if (stored !== undefined) return stored;
    this.names.set(ownedCopy(name), fingerprint);
    return NOT_SEEN;
  }

  findName(name: string): number {
    return this.names.get(name) ?? NOT_SEEN;
  }

  /** Any user_id, routed by its text. */
  remember(userId: string, fingerprint: number): number {
    const id = numericUserId(userId);
    return id === NOT_SEEN ? this.rememberName(userId, fingerprint) : this.rememberId(id, fingerprint);
  }

  find(userId: string): number {
    const id = numericUserId(userId);
    return id === NOT_SEEN ? this.findName(userId) : this.findId(id);
  }

  /**
   * Runs of RUN consecutive ids get consecutive slots, at a place given by a multiplicative hash of
   * the run's number: ids that arrive nearly in order (the usual case) share cache lines, and other
   * patterns still spread over the table.
   */
  private slotOf(id: number): number {
    const run = Math.floor(id / RUN);
    const mixed = Math.imul(run ^ Math.imul(Math.floor(run / TWO_POW_32), 0x27d4eb2d), 0x9e3779b1) >>> 0;
    const slot = Math.floor((mixed * this.capacity) / TWO_POW_32) + (id - run * RUN);
    return slot < this.capacity ? slot : slot - this.capacity;
  }

  private grow(): void {
    const old = this.table;
    this.capacity *= 2;
    this.table = new Uint32Array(SLOT * this.capacity);
    const table = this.table;
    for (let i = 0; i < old.length; i += SLOT) {
      const key = old[i] as number;
      if (key === 0) continue;
      let at = SLOT * this.slotOf(key - 1);
      while (table[at] !== 0) {
        at += SLOT;
        if (at === table.length) at = 0;
      }
      table[at] = key;
      table[at + 1] = old[i + 1] as number;
      table[at + 2] = old[i + 2] as number;
    }
  }
}
