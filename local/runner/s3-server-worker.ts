/**
 * The embedded S3's thread: s3rver with the atomic store and the multipart operations it lacks,
 * on loopback, a free port. Started by s3-server.ts; serving S3 here keeps it off the event loop
 * (and the CPU) of the thread that runs the steps.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

import { faultMiddleware } from './s3-faults';
import type { FromS3Worker, S3WorkerData, ToS3Worker } from './s3-server-protocol';
import { makeStoreAtomic, recoverStore, type S3rverStore } from './s3rver-atomic-store';
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

if (!parentPort) throw new Error('s3-server-worker.ts runs only as a worker thread (see s3-server.ts)');
const port = parentPort;
const data = workerData as S3WorkerData;
const send = (message: FromS3Worker): void => port.postMessage(message);

/** Answers from the starting thread, by request id. */
const waiting = new Map<number, (answer: Extract<ToS3Worker, { id: number }>) => void>();
let nextId = 0;
function ask(message: (id: number) => FromS3Worker): Promise<Extract<ToS3Worker, { id: number }>> {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    send(message(id));
  });
}

async function start(): Promise<S3rverInstance> {
  const recovered = await recoverStore(data.directory);
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: data.directory,
    configureBuckets: data.buckets.map((name) => ({ name })),
  });
  makeStoreAtomic(
    server.store,
    data.objectWrites ? async (event) => void (await ask((id) => ({ type: 'write', id, event }))) : undefined,
  );
  server.middleware.unshift(multipartHooks(data.directory));
  if (data.faults)
    server.middleware.unshift(
      faultMiddleware(async (request) => {
        const answer = await ask((id) => ({ type: 'fault', id, request }));
        return answer.type === 'fault' ? answer.fault : undefined;
      }),
    );
  const address = await server.run();
  send({ type: 'ready', port: address.port, recovered });
  return server;
}

const started = start();
started.catch((error: unknown) => {
  const err = error instanceof Error ? error : new Error(String(error));
  send({ type: 'failed', message: err.message, ...(err.stack ? { stack: err.stack } : {}) });
});

port.on('message', (message: ToS3Worker) => {
  if (message.type !== 'close') {
    const resolve = waiting.get(message.id);
    waiting.delete(message.id);
    resolve?.(message);
    return;
  }
  void (async () => {
    const server = await started.catch(() => undefined);
    if (server) {
      const done = server.close();
      server.httpServer?.closeAllConnections();
      await done;
    }
    send({ type: 'closed' });
    port.close();
  })();
});
