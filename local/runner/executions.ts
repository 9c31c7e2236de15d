/**
 * The local stand-in for Step Functions' StartExecution name rule: one execution per name, ever, in a
 * work directory. Each execution started by name leaves `<workdir>/executions/<name>.json` (created
 * with O_EXCL, so two starts of one name cannot both win), updated when it stops; a restart of
 * `watch` finds the records and refuses the names again.
 *
 * As the service does (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html):
 * a start with the name of a RUNNING execution and the same input is idempotent (it returns that
 * execution); any other reuse of a name fails with ExecutionAlreadyExists. A record still RUNNING
 * from a process that is gone (killed mid-run; the work directory lock guarantees it is not running)
 * is marked ABORTED when the registry opens, and its name stays taken, as a stopped execution's does.
 */
import { mkdir, open, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Execution names: 1-80 characters; these are the ones safe as file names too. */
const NAME = /^[A-Za-z0-9_-]{1,80}$/;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export interface ExecutionRecord {
  readonly name: string;
  /** The execution input, as started. */
  readonly input: unknown;
  readonly status: ExecutionStatus;
  readonly startedAt: string;
  readonly stoppedAt?: string;
  /** The process that ran it. */
  readonly pid: number;
}

/** A second execution of a name (Step Functions' error name). */
export class ExecutionAlreadyExists extends Error {
  override name = 'ExecutionAlreadyExists';
  constructor(readonly existing: ExecutionRecord) {
    super(`execution ${existing.name} already exists (${existing.status}, started ${existing.startedAt})`);
  }
}

/** Not a valid execution name. */
export class InvalidExecutionName extends Error {
  override name = 'InvalidName';
}

/** What a start returns: the run's outcome, and whether this call started it or joined a running one. */
export interface StartedExecution<T> {
  readonly started: boolean;
  readonly result: Promise<T>;
}

export interface ExecutionRegistry {
  readonly directory: string;
  /**
   * Starts `run` as execution `name`: the record is written first, then `run` runs; throws
   * ExecutionAlreadyExists when the name is taken (see the module comment for the idempotent case).
   * `status` maps the run's result to how the execution ended.
   */
  start<T>(
    name: string,
    input: unknown,
    run: () => Promise<T>,
    status: (result: T) => 'SUCCEEDED' | 'FAILED',
  ): Promise<StartedExecution<T>>;
  /** The record of `name`, if any. */
  get(name: string): Promise<ExecutionRecord | undefined>;
}

const recordFile = (directory: string, name: string): string => path.join(directory, `${name}.json`);

async function readRecord(file: string): Promise<ExecutionRecord | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ExecutionRecord;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Replaces a record atomically (temp file + rename), so a kill never leaves half a record. */
async function rewriteRecord(directory: string, record: ExecutionRecord): Promise<void> {
  const temp = path.join(directory, `.${record.name}.${process.pid}.tmp`);
  await writeFile(temp, `${JSON.stringify(record)}\n`);
  await rename(temp, recordFile(directory, record.name));
}

/** Marks RUNNING records of other processes ABORTED: whoever ran them is gone (we hold the work directory). */
async function abortOrphans(directory: string): Promise<void> {
  for (const entry of await readdir(directory)) {
    if (!entry.endsWith('.json')) continue;
    const record = await readRecord(path.join(directory, entry)).catch(() => undefined);
    if (record?.status === 'RUNNING' && record.pid !== process.pid) {
      await rewriteRecord(directory, { ...record, status: 'ABORTED', stoppedAt: new Date().toISOString() });
    }
  }
}

/** Opens the registry under `directory` (created if missing). Call it only while holding the work directory. */
export async function openExecutionRegistry(directory: string): Promise<ExecutionRegistry> {
  await mkdir(directory, { recursive: true });
  await abortOrphans(directory);
  const running = new Map<
    string,
    { readonly input: string; readonly record: ExecutionRecord; readonly result: Promise<unknown> }
  >();

  return {
    directory,
    get: (name) => readRecord(recordFile(directory, name)),
    async start(name, input, run, status) {
      if (!NAME.test(name)) {
        throw new InvalidExecutionName(`'${name}' is not 1-80 letters, digits, '-' or '_'`);
      }
      const inputJson = JSON.stringify(input);
      const current = running.get(name);
      if (current) {
        if (current.input !== inputJson) throw new ExecutionAlreadyExists(current.record);
        return { started: false, result: current.result as Promise<Awaited<ReturnType<typeof run>>> };
      }
      const record: ExecutionRecord = {
        name,
        input,
        status: 'RUNNING',
        startedAt: new Date().toISOString(),
        pid: process.pid,
      };
      // Claimed in this process before the first await, so a concurrent start of the name sees it.
      const file = recordFile(directory, name);
      const claimed = (async () => {
        const handle = await open(file, 'wx');
        try {
          await handle.writeFile(`${JSON.stringify(record)}\n`);
        } finally {
          await handle.close();
        }
      })();
      const result = (async () => {
        await claimed;
        let ended: ExecutionStatus = 'FAILED';
        try {
          const value = await run();
          ended = status(value);
          return value;
        } finally {
          running.delete(name);
          await rewriteRecord(directory, { ...record, status: ended, stoppedAt: new Date().toISOString() });
        }
      })();
      running.set(name, { input: inputJson, record, result });
      try {
        await claimed;
      } catch (error) {
        running.delete(name);
        result.catch(() => undefined);
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        throw new ExecutionAlreadyExists((await readRecord(file)) ?? record);
      }
      return { started: true, result };
    },
  };
}
