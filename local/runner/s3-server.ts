/**
 * The embedded S3: s3rver on loopback, a free port, objects stored under a directory, with the
 * multipart operations it lacks added in front and atomic object writes (s3rver-atomic-store.ts).
 * At start it removes what a killed process left (unfinished uploads, partial writes): start it
 * only while holding the work directory. `close()` releases the port even with the SDK's
 * keep-alive sockets still open.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

import { faultMiddleware, type S3FaultHook } from './s3-faults';
import {
  makeStoreAtomic,
  recoverStore,
  type ObjectWriteHook,
  type S3rverStore,
  type StoreRecovery,
} from './s3rver-atomic-store';
import { multipartHooks, type KoaMiddleware } from './s3rver-multipart';

/** The slice of s3rver's API used here (it ships no types). */
interface S3rverInstance {
  middleware: KoaMiddleware[];
  store: S3rverStore;
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverCtor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverInstance;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as S3rverCtor;

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

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const recovered = await recoverStore(options.directory);
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: options.directory,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  makeStoreAtomic(server.store, options.onObjectWrite);
  server.middleware.unshift(multipartHooks(options.directory));
  if (options.faults) server.middleware.unshift(faultMiddleware(options.faults));
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localS3Client(endpoint);
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    port,
    directory: options.directory,
    client,
    recovered,
    close: () => {
      closed ??= (async () => {
        client.destroy();
        const done = server.close();
        server.httpServer?.closeAllConnections();
        await done;
      })();
      return closed;
    },
  };
}
