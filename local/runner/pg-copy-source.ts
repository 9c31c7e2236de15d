/**
 * What Redshift's `COPY ... MANIFEST` reads, fetched for the local warehouse: the manifest JSON
 * (`{"entries":[{"url":"s3://bucket/key","mandatory":true}]}`) and each listed object, from the
 * embedded S3. A missing mandatory file fails the COPY, as on Redshift; a missing optional one is skipped.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { WarehouseStatementFailed } from '../../lambdas/shared/errors';
import { parseS3Uri } from '../../lambdas/load/s3-uri';
import type { S3Location } from '../../lambdas/load/warehouse-batch';

export interface CopySourceFile {
  readonly url: string;
  readonly bytes: Uint8Array;
}

function isNotFound(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  return name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket';
}

async function getObject(s3: S3Client, location: S3Location): Promise<Uint8Array> {
  const output = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
  if (!output.Body) throw new WarehouseStatementFailed(`s3://${location.bucket}/${location.key} has no body`);
  return output.Body.transformToByteArray();
}

interface ManifestEntry {
  readonly url: string;
  readonly mandatory: boolean;
}

function parseManifest(text: string, uri: string): ManifestEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WarehouseStatementFailed(`manifest ${uri} is not JSON`, { cause: error });
  }
  const entries = (json as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) throw new WarehouseStatementFailed(`manifest ${uri} has no "entries" array`);
  return entries.map((entry: unknown, i) => {
    const { url, mandatory } = (entry ?? {}) as { url?: unknown; mandatory?: unknown };
    if (typeof url !== 'string')
      throw new WarehouseStatementFailed(`manifest ${uri}: entries[${i}].url is missing`);
    return { url, mandatory: mandatory === true };
  });
}

/** The files a COPY with this manifest loads, in manifest order. */
export async function readCopySource(s3: S3Client, manifest: S3Location): Promise<CopySourceFile[]> {
  const uri = `s3://${manifest.bucket}/${manifest.key}`;
  let text: string;
  try {
    text = new TextDecoder().decode(await getObject(s3, manifest));
  } catch (error) {
    if (isNotFound(error))
      throw new WarehouseStatementFailed(`COPY manifest ${uri} does not exist`, { cause: error });
    throw error;
  }
  const files: CopySourceFile[] = [];
  for (const entry of parseManifest(text, uri)) {
    try {
      files.push({ url: entry.url, bytes: await getObject(s3, parseS3Uri(entry.url)) });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      if (entry.mandatory) {
        throw new WarehouseStatementFailed(
          `COPY manifest ${uri} lists mandatory ${entry.url}, which does not exist`,
          {
            cause: error,
          },
        );
      }
    }
  }
  return files;
}
