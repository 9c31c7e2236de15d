/**
 * The messages between the embedded S3's worker thread (s3-server-worker.ts) and the thread that
 * started it (s3-server.ts). The test hooks stay functions of the starting thread: the worker asks
 * it about each request (faults) and each object write, and waits for the answer before going on.
 */
import type { S3FaultResponse, S3Request } from './s3-faults';
import type { ObjectWriteEvent, StoreRecovery } from './s3rver-atomic-store';

/** What the worker is started with (`workerData`). */
export interface S3WorkerData {
  readonly directory: string;
  readonly buckets: readonly string[];
  /** Ask the starting thread about each request (`fault` messages). */
  readonly faults: boolean;
  /** Tell the starting thread about each object write and wait (`write` messages). */
  readonly objectWrites: boolean;
}

export type FromS3Worker =
  | { readonly type: 'ready'; readonly port: number; readonly recovered: StoreRecovery }
  | { readonly type: 'failed'; readonly message: string; readonly stack?: string }
  | { readonly type: 'fault'; readonly id: number; readonly request: S3Request }
  | { readonly type: 'write'; readonly id: number; readonly event: ObjectWriteEvent }
  | { readonly type: 'closed' };

export type ToS3Worker =
  | { readonly type: 'fault'; readonly id: number; readonly fault: S3FaultResponse | undefined }
  | { readonly type: 'write'; readonly id: number }
  | { readonly type: 'close' };
