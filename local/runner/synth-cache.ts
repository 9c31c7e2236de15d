/**
 * A synthesized template kept on disk, so that a local command does not synthesize the CDK app
 * (seconds, and hundreds of MB) when nothing that determines the template changed. The key hashes
 * every file the app is built from (bin/, lib/, lambdas/, sql/), cdk.json, package-lock.json (the
 * aws-cdk-lib version), the Node.js major version and the context; any change is a new entry.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What the template is synthesized from, relative to the project root. */
const SOURCE_DIRS = ['bin', 'lib', 'lambdas', 'sql'];
const SOURCE_FILES = ['cdk.json', 'package-lock.json'];

function filesUnder(root: string, dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(root, rel);
    return entry.isFile() ? [rel] : [];
  });
}

/** The cache key: a SHA-256 over the sources' paths and contents and the context. */
export function synthCacheKey(root: string, context: Readonly<Record<string, unknown>>): string {
  const hash = createHash('sha256');
  hash.update(`node ${process.versions.node.split('.')[0] ?? ''}\n${JSON.stringify(context)}\n`);
  const files = [...SOURCE_DIRS.flatMap((dir) => filesUnder(root, dir)), ...SOURCE_FILES].sort();
  for (const file of files) {
    let content: Buffer;
    try {
      content = readFileSync(path.join(root, file));
    } catch {
      continue;
    }
    hash.update(`${file}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest('hex');
}

export class SynthCache {
  constructor(private readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, `template-${key}.json`);
  }

  get<T>(key: string): T | undefined {
    try {
      return JSON.parse(readFileSync(this.file(key), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  /** Written to a temporary file and renamed: a reader never sees half an entry. */
  set(key: string, value: unknown): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.file(key)}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, this.file(key));
  }
}
