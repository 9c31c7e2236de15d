/**
 * Two multipart operations s3rver 3.7 lacks, which the clean step relies on (an aborted upload must
 * leave nothing behind), served in front of s3rver on its own upload directories
 * (`<root>/<bucket>/._S3rver_uploads/<uploadId>/`):
 * - AbortMultipartUpload (DELETE /bucket/key?uploadId=...) removes the upload and its parts;
 * - ListMultipartUploads (GET /bucket?uploads) lists the uploads still open.
 */
import { readFile, readdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';

/** The slice of Koa's context used here. */
export interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  req: IncomingMessage;
  status: number;
  type: string;
  body: unknown;
}
export type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

export const UPLOADS_DIR = '._S3rver_uploads';

const xmlEscape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function xml(ctx: KoaContext, status: number, body: string): void {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

export function multipartHooks(root: string): KoaMiddleware {
  const uploadsDir = (bucket: string): string => path.join(root, bucket, UPLOADS_DIR);
  return async (ctx, next) => {
    const [bucket = '', ...rest] = ctx.path.replace(/^\//, '').split('/');
    const key = decodeURIComponent(rest.join('/'));
    const uploadId = ctx.query.uploadId;
    if (ctx.method === 'DELETE' && key !== '' && typeof uploadId === 'string') {
      const dir = path.join(uploadsDir(bucket), path.basename(uploadId));
      const exists = await readdir(dir).then(
        () => true,
        () => false,
      );
      if (!exists)
        return xml(ctx, 404, '<Error><Code>NoSuchUpload</Code><Message>no such upload</Message></Error>');
      await rm(dir, { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    if (ctx.method === 'GET' && key === '' && ctx.query.uploads !== undefined) {
      const ids = await readdir(uploadsDir(bucket)).catch(() => [] as string[]);
      const uploads = await Promise.all(
        ids.map(async (id) => {
          const uploadKey = await readFile(path.join(uploadsDir(bucket), id, 'key'), 'utf8');
          return `<Upload><Key>${xmlEscape(uploadKey)}</Key><UploadId>${id}</UploadId></Upload>`;
        }),
      );
      return xml(
        ctx,
        200,
        `<ListMultipartUploadsResult><Bucket>${xmlEscape(bucket)}</Bucket>` +
          `<IsTruncated>false</IsTruncated>${uploads.join('')}</ListMultipartUploadsResult>`,
      );
    }
    await next();
  };
}
