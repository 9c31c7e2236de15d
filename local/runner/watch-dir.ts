/**
 * What changed in a watched directory since the last look, by polling (portable; fs.watch is not
 * reliable on every file system). A file is reported once per version: when it is first seen, and
 * again only when its bytes change (a touch that keeps the bytes is not a new version). Memory: one
 * small entry per file name.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

import { fileEtag } from './file-etag';

/** A version of a file to act on: its name in the directory and the ETag its bytes get in S3. */
export interface ChangedFile {
  readonly name: string;
  readonly file: string;
  readonly etag: string;
}

/** One scan's findings. */
export interface ScanResult {
  /** New files and files whose bytes changed, settled (see `settleMs`). */
  readonly changed: readonly ChangedFile[];
  /** Names that are not regular files (directories, FIFOs...), reported once each. */
  readonly notFiles: readonly string[];
  /** Files seen earlier that are gone. */
  readonly removed: readonly string[];
}

export interface DirectoryWatchOptions {
  /**
   * A changed file is acted on only once its size and mtime have stayed the same for this long, so a
   * file still being written is not read half-way. 0 acts at once (`--once`). @default 0
   */
  readonly settleMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

interface Seen {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
  /** This size and mtime were hashed (else the file is waiting to settle). */
  readonly hashed: boolean;
  /** The ETag of the version last reported; undefined until the file first settled. */
  readonly etag?: string;
}

export interface DirectoryWatch {
  scan(): Promise<ScanResult>;
}

const sameStat = (a: Seen | undefined, b: Omit<Seen, 'etag' | 'hashed'>): boolean =>
  a !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;

export function watchDirectory(dir: string, options: DirectoryWatchOptions = {}): DirectoryWatch {
  const settleMs = options.settleMs ?? 0;
  const now = options.now ?? Date.now;
  const seen = new Map<string, Seen>();
  const reportedNotFiles = new Set<string>();

  return {
    async scan() {
      const changed: ChangedFile[] = [];
      const notFiles: string[] = [];
      const names = (await readdir(dir)).sort();
      for (const name of names) {
        const file = path.join(dir, name);
        // stat follows symlinks: a link to a day file is the day file. Gone meanwhile: next scan.
        const info = await stat(file).catch(() => undefined);
        if (!info) continue;
        if (!info.isFile()) {
          if (!reportedNotFiles.has(name)) notFiles.push(name);
          reportedNotFiles.add(name);
          continue;
        }
        const current = { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino };
        const before = seen.get(name);
        if (before?.hashed && sameStat(before, current)) continue;
        const lastEtag = before?.etag === undefined ? {} : { etag: before.etag };
        if (settleMs > 0 && (!sameStat(before, current) || now() - info.mtimeMs < settleMs)) {
          // Changed since the last look, or too recently: look again next scan.
          seen.set(name, { ...current, hashed: false, ...lastEtag });
          continue;
        }
        const etag = await fileEtag(file);
        seen.set(name, { ...current, hashed: true, etag });
        if (etag !== before?.etag) changed.push({ name, file, etag });
      }
      const present = new Set(names);
      const gone = [...seen.keys()].filter((name) => !present.has(name));
      const removed = gone.filter((name) => seen.get(name)?.etag !== undefined);
      for (const name of gone) seen.delete(name);
      for (const name of reportedNotFiles) if (!present.has(name)) reportedNotFiles.delete(name);
      return { changed, notFiles, removed };
    },
  };
}
