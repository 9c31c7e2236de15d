/**
 * The part of the clean step's result (`$.clean`) that the load step uses, parsed from the state
 * machine payload with one-line errors naming the field. A manually started or edited execution can
 * send anything; nothing reaches SQL before it passes here.
 */
import type { CleanOutputs, CleanResult } from '../shared/step-payloads';
import { InvalidRequest } from '../shared/errors';
import { checkS3Location } from './s3-uri';

export type LoadInput = Pick<
  CleanResult,
  'date' | 'runId' | 'source' | 'counts' | 'aggregates' | 'codeVersion'
> & {
  readonly outputs: Pick<CleanOutputs, 'bucket' | 'validSearchesManifestKey'>;
};

type Json = Record<string, unknown>;

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidRequest(`${field} must be an object`);
  }
  return value as Json;
}

function text(parent: Json, name: string, field: string): string {
  const value = parent[name];
  if (typeof value !== 'string' || value === '')
    throw new InvalidRequest(`${field}.${name} must be a non-empty string`);
  return value;
}

function count(parent: Json, name: string, field: string): number {
  const value = parent[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > 2_147_483_647) {
    throw new InvalidRequest(`${field}.${name} must be an integer between 0 and 2147483647`);
  }
  return value;
}

function isoDate(value: string, field: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== value
  ) {
    throw new InvalidRequest(`${field} must be a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Parses and checks the load step's input; throws `InvalidRequest` naming the first bad field. */
export function parseLoadInput(payload: unknown): LoadInput {
  const clean = object(payload, 'clean');
  const source = object(clean['source'], 'clean.source');
  const counts = object(clean['counts'], 'clean.counts');
  const aggregates = object(clean['aggregates'], 'clean.aggregates');
  const outputs = object(clean['outputs'], 'clean.outputs');
  const input: LoadInput = {
    date: isoDate(text(clean, 'date', 'clean'), 'clean.date'),
    runId: text(clean, 'runId', 'clean'),
    codeVersion: text(clean, 'codeVersion', 'clean'),
    source: {
      bucket: text(source, 'bucket', 'clean.source'),
      key: text(source, 'key', 'clean.source'),
      etag: text(source, 'etag', 'clean.source'),
      bytes: count(source, 'bytes', 'clean.source'),
    },
    counts: {
      read: count(counts, 'read', 'clean.counts'),
      kept: count(counts, 'kept', 'clean.counts'),
      duplicate: count(counts, 'duplicate', 'clean.counts'),
      rejected: count(counts, 'rejected', 'clean.counts'),
    },
    aggregates: {
      numUsers: count(aggregates, 'numUsers', 'clean.aggregates'),
      numSearches: count(aggregates, 'numSearches', 'clean.aggregates'),
      numRentalSearches: count(aggregates, 'numRentalSearches', 'clean.aggregates'),
      numSaleSearches: count(aggregates, 'numSaleSearches', 'clean.aggregates'),
      numNoneSearches: count(aggregates, 'numNoneSearches', 'clean.aggregates'),
    },
    outputs: checkOutputs({
      bucket: text(outputs, 'bucket', 'clean.outputs'),
      validSearchesManifestKey: text(outputs, 'validSearchesManifestKey', 'clean.outputs'),
    }),
  };
  const { read, kept, duplicate, rejected } = input.counts;
  if (read !== kept + duplicate + rejected) {
    throw new InvalidRequest(
      `clean.counts: read (${read}) must equal kept + duplicate + rejected (${kept + duplicate + rejected})`,
    );
  }
  const a = input.aggregates;
  if (a.numSearches !== a.numRentalSearches + a.numSaleSearches + a.numNoneSearches) {
    throw new InvalidRequest(
      'clean.aggregates: numSearches must equal numRentalSearches + numSaleSearches + numNoneSearches',
    );
  }
  if (a.numUsers > a.numSearches || a.numUsers > kept) {
    throw new InvalidRequest('clean.aggregates.numUsers must not exceed numSearches nor counts.kept');
  }
  return input;
}

function checkOutputs(outputs: LoadInput['outputs']): LoadInput['outputs'] {
  checkS3Location(
    { bucket: outputs.bucket, key: outputs.validSearchesManifestKey },
    'clean.outputs.validSearchesManifest',
  );
  return outputs;
}
