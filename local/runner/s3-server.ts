/**
 * The embedded S3: s3rver on loopback, a free port, objects stored under a directory, with the
 * multipart operations it lacks added in front and atomic object writes (s3rver-atomic-store.ts).
 * It runs in its own worker thread (s3-server-worker.ts), so serving S3 never shares the event loop
 * of the thread that runs the steps; the fault hooks stay functions of this thread.
 * At start it removes what a killed process left (unfinished uploads, partial writes): start it
 * only while holding the work directory. `close()` releases the port even with the SDK's
 * keep-alive sockets still open, and ends the thread.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

import type { S3FaultHook } from './s3-faults';
import type { FromS3Worker, S3WorkerData, ToS3Worker } from './s3-server-protocol';
import type { ObjectWriteHook, StoreRecovery } from './s3rver-atomic-store';

/** The embedded S3 failed to start (its thread's error is the cause). */
export class LocalS3StartFailed extends Error {
  override name = 'LocalS3StartFailed';
}

export interface LocalS3 {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** Where s3rver keeps the buckets on disk. */
  readonly directory: string;
  /** A client configured for this server; destroyed by `close()`. */
  readonly client: S3Client;
  /** What was removed at start: uploads and writes a killed process left unfinished. */
  readonly recovered: StoreRecovery;
  close(): Promise<void>;
}

export interface LocalS3Options {
  readonly directory: string;
  /** Buckets created at start (existing ones are kept). */
  readonly buckets: readonly string[];
  /** Answers matching requests with an S3 error (fault injection in tests). */
  readonly faults?: S3FaultHook;
  /** Sees each object write as it happens (fault injection in tests, e.g. a kill mid-completion). */
  readonly onObjectWrite?: ObjectWriteHook;
}

/**
 * An SDK client for an s3rver endpoint: path-style, its fixed credentials, and no flexible
 * checksums (s3rver stores streamed uploads corrupted when the SDK adds them).
 */
export function localS3Client(endpoint: string, overrides: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...overrides,
  });
}

/**
 * The worker runs TypeScript through tsx, as the CLI does; an `eval` worker, so that it works the
 * same under tsx and under Jest (whose transform does not reach worker threads).
 */
function startWorker(data: S3WorkerData): Worker {
  const tsx = require.resolve('tsx/cjs');
  const entry = path.join(__dirname, 's3-server-worker.ts');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`, {
    eval: true,
    workerData: data,
  });
}

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const worker = startWorker({
    directory: options.directory,
    buckets: [...options.buckets],
    faults: options.faults !== undefined,
    objectWrites: options.onObjectWrite !== undefined,
  });
  const send = (message: ToS3Worker): void => worker.postMessage(message);
  let onReady: ((message: FromS3Worker) => void) | undefined;
  let onClosed: (() => void) | undefined;
  let crashed: Error | undefined;
  worker.on('message', (message: FromS3Worker) => {
    if (message.type === 'fault')
      send({ type: 'fault', id: message.id, fault: options.faults?.(message.request) });
    else if (message.type === 'write') {
      void Promise.resolve(options.onObjectWrite?.(message.event)).then(() =>
        send({ type: 'write', id: message.id }),
      );
    } else if (message.type === 'closed') onClosed?.();
    else onReady?.(message);
  });
  const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', (error) => {
    crashed = error;
  });
  const ready = await new Promise<FromS3Worker>((resolve) => {
    onReady = resolve;
    void ended.then(() =>
      resolve({ type: 'failed', message: crashed?.message ?? 'the S3 thread exited before it was ready' }),
    );
  });
  if (ready.type !== 'ready') {
    await worker.terminate();
    const message = ready.type === 'failed' ? ready.message : `unexpected ${ready.type}`;
    throw new LocalS3StartFailed(`embedded S3 in ${options.directory} did not start: ${message}`, {
      cause: crashed ?? ready,
    });
  }
  const endpoint = `http://127.0.0.1:${ready.port}`;
  const client = localS3Client(endpoint);
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    port: ready.port,
    directory: options.directory,
    client,
    recovered: ready.recovered,
    close: () => {
      closed ??= (async () => {
        client.destroy();
        const done = new Promise<void>((resolve) => {
          onClosed = resolve;
          void ended.then(resolve);
        });
        send({ type: 'close' });
        await done;
        await worker.terminate();
        await ended;
      })();
      return closed;
    },
  };
}
