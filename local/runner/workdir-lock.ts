/**
 * One writer per work directory. PGlite is a single-process database (two processes on one data
 * directory corrupt it) and two runs on one embedded S3 double each other's loads, so every command
 * that opens the local warehouse or writes the work directory holds this lock while it does.
 *
 * The lock is proper-lockfile's: `<workdir>/.lock`, a directory made with mkdir (atomic), its mtime
 * refreshed while held. Beside it `<workdir>/.lock-holder.json` names the holder (PID, host, command,
 * start) and the lock directory it belongs to (inode and birth time), so a second process can say who
 * holds it. A lock left by a killed process is recovered: at once when its holder's PID is gone (same
 * host), else once its mtime is older than `staleMs`.
 */
import { mkdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/** Another process holds the work directory. */
export class WorkdirBusy extends Error {
  override name = 'WorkdirBusy';
  constructor(
    message: string,
    readonly holder?: LockHolder,
  ) {
    super(message);
  }
}

/** Who holds a work directory, as written into `<workdir>/.lock-holder.json`. */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly command: string;
  readonly startedAt: string;
  /** The lock directory this record belongs to (a record left by an earlier holder does not match). */
  readonly lock: { readonly ino: number; readonly birthtimeMs: number };
}

export interface WorkdirLockOptions {
  /** A lock whose mtime is older than this is stale (its holder stopped refreshing it). @default 120000 */
  readonly staleMs?: number;
  /** What the holder is doing, for the busy message. @default the process's arguments */
  readonly command?: string;
}

export interface WorkdirLock {
  readonly root: string;
  /** Releases the lock; safe to call more than once. */
  release(): Promise<void>;
}

/** The holder refreshes every 5 s; 2 min is long enough that a synchronous CDK synth is not taken for a dead holder. */
const DEFAULT_STALE_MS = 2 * 60 * 1000;
const UPDATE_MS = 5000;

const lockPath = (root: string): string => path.join(root, '.lock');
const holderPath = (root: string): string => path.join(root, '.lock-holder.json');

async function lockIdentity(root: string): Promise<LockHolder['lock'] | undefined> {
  const info = await stat(lockPath(root)).catch(() => undefined);
  return info ? { ino: info.ino, birthtimeMs: info.birthtimeMs } : undefined;
}

async function readHolder(root: string): Promise<LockHolder | undefined> {
  try {
    return JSON.parse(await readFile(holderPath(root), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The current lock's holder record, when the record belongs to the current lock directory. */
async function currentHolder(root: string): Promise<LockHolder | undefined> {
  const [holder, identity] = await Promise.all([readHolder(root), lockIdentity(root)]);
  const matches =
    holder !== undefined &&
    identity !== undefined &&
    holder.lock.ino === identity.ino &&
    holder.lock.birthtimeMs === identity.birthtimeMs;
  return matches ? holder : undefined;
}

function busyMessage(root: string, holder: LockHolder | undefined): string {
  const who = holder
    ? `PID ${holder.pid} on ${holder.hostname}, started ${holder.startedAt}: ${holder.command}`
    : 'a process that is just starting';
  return (
    `work directory ${root} is in use by another search-stats process (${who}); ` +
    `one process per work directory: wait for it to finish, or use another --workdir`
  );
}

async function tryLock(root: string, staleMs: number): Promise<() => Promise<void>> {
  return lockfile.lock(root, {
    lockfilePath: lockPath(root),
    stale: staleMs,
    update: UPDATE_MS,
    realpath: false,
    retries: 0,
    // A lock taken over while still held means two writers: say so instead of crashing in a timer.
    onCompromised: (error) => process.emitWarning(`work directory ${root}: lock lost: ${error.message}`),
  });
}

/**
 * Takes the work directory (created if missing) for this process; throws WorkdirBusy naming the
 * directory and the holder's PID when another live process holds it.
 */
export async function lockWorkdir(workdir: string, options: WorkdirLockOptions = {}): Promise<WorkdirLock> {
  const root = path.resolve(workdir);
  await mkdir(root, { recursive: true });
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  let unlock: () => Promise<void>;
  try {
    unlock = await tryLock(root, staleMs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const holder = await currentHolder(root);
    const deadHere = holder !== undefined && holder.hostname === os.hostname() && !isRunning(holder.pid);
    if (!deadHere) throw new WorkdirBusy(busyMessage(root, holder), holder);
    // Its holder was killed: take the lock over (the record is removed first, then the lock).
    await rm(holderPath(root), { force: true });
    await rmdir(lockPath(root)).catch(() => undefined);
    try {
      unlock = await tryLock(root, staleMs);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'ELOCKED') throw again;
      // Another process recovered it first.
      throw new WorkdirBusy(busyMessage(root, await currentHolder(root)), holder);
    }
  }

  const identity = await lockIdentity(root);
  const record: LockHolder = {
    pid: process.pid,
    hostname: os.hostname(),
    command: options.command ?? process.argv.slice(2).join(' '),
    startedAt: new Date().toISOString(),
    lock: identity ?? { ino: 0, birthtimeMs: 0 },
  };
  const temp = `${holderPath(root)}.${process.pid}`;
  await writeFile(temp, JSON.stringify(record));
  await rename(temp, holderPath(root));

  let released: Promise<void> | undefined;
  return {
    root,
    release: () => {
      released ??= (async () => {
        await rm(holderPath(root), { force: true });
        await unlock();
      })();
      return released;
    },
  };
}
