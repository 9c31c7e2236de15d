/**
 * Fault injection for the embedded S3: a hook sees each request (method, bucket, key, query) and may
 * answer it with an S3 error instead of s3rver. Tests use it to fail writes or reads mid-run.
 */
import type { KoaMiddleware } from './s3rver-multipart';

export interface S3Request {
  readonly method: string;
  readonly bucket: string;
  /** Object key, decoded; '' for bucket-level requests. */
  readonly key: string;
  readonly query: Readonly<Record<string, string | string[] | undefined>>;
}

export interface S3FaultResponse {
  /** @default 500 */
  readonly status?: number;
  /** @default 'InternalError' */
  readonly code?: string;
}

/** Returns a fault to answer `request` with, or undefined to let s3rver serve it. */
export type S3FaultHook = (request: S3Request) => S3FaultResponse | undefined;

/** The hook as the server's thread calls it: it may ask another thread (s3-server-worker.ts). */
export type AsyncS3FaultHook = (request: S3Request) => Promise<S3FaultResponse | undefined>;

export function faultMiddleware(hook: S3FaultHook | AsyncS3FaultHook): KoaMiddleware {
  return async (ctx, next) => {
    const [bucket = '', ...rest] = ctx.path.replace(/^\//, '').split('/');
    const fault = await hook({
      method: ctx.method,
      bucket,
      key: decodeURIComponent(rest.join('/')),
      query: { ...ctx.query },
    });
    if (!fault) return next();
    for await (const chunk of ctx.req) void chunk; // drain the body so the client sees the response
    ctx.status = fault.status ?? 500;
    ctx.type = 'application/xml';
    ctx.body =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${fault.code ?? 'InternalError'}</Code><Message>injected fault</Message></Error>`;
  };
}
