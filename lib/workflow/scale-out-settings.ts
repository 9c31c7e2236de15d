import type { Node } from 'constructs';
import { ContextError } from '../context-settings';

/** How the daily machine splits a very large day across workers (see ScaleOutPath). */
export interface ScaleOutSettings {
  /**
   * Context `scaleOutThresholdBytes`: a day whose object is larger than this (as stored, so
   * compressed for a zip) takes the scale-out path; `0` sends every day there.
   * @default 268_435_456 (256 MiB: a zip of about 2-3 GB of CSV, several minutes for one Lambda)
   */
  readonly thresholdBytes: number;
  /**
   * Context `scaleOutMaxConcurrency`: workers running at once, each one Lambda execution. A new
   * account may have as little as 10 concurrent Lambda executions in all ("New AWS accounts have
   * reduced concurrency and memory quotas", https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html;
   * 10 reported in https://github.com/awslabs/fhir-works-on-aws-deployment/issues/691), so the
   * default stays well under it, leaving room for the other steps and back-fill days. Raise it after
   * raising the quota "Concurrent executions" (Service Quotas, Lambda, code L-B99A9384).
   * @default 5
   */
  readonly maxConcurrency: number;
  /** Context `scaleOutMaxItemsPerBatch`: rows per worker at most. @default 5000 */
  readonly maxItemsPerBatch: number;
  /**
   * Context `scaleOutMaxInputBytesPerBatch`: a batch's JSON size at most, batch input included
   * (Step Functions allows up to 256 KiB, the payload limit; below 200 KiB a long row might fit no
   * batch). @default 229_376 (224 KiB)
   */
  readonly maxInputBytesPerBatch: number;
}

const DEFAULT_SCALE_OUT_SETTINGS: ScaleOutSettings = {
  thresholdBytes: 256 * 1024 * 1024,
  maxConcurrency: 5,
  maxItemsPerBatch: 5000,
  maxInputBytesPerBatch: 224 * 1024,
};

/** The Step Functions ceilings the settings must respect. */
const MAX_CONCURRENCY = 10_000;
const MAX_BATCH_BYTES = 256 * 1024;
/** Above the largest Map item Prepare writes (SPILL_CHARS characters, at most 6 JSON bytes each). */
const MIN_BATCH_BYTES = 200 * 1024;

type Key =
  | 'scaleOut'
  | 'scaleOutThresholdBytes'
  | 'scaleOutMaxConcurrency'
  | 'scaleOutMaxItemsPerBatch'
  | 'scaleOutMaxInputBytesPerBatch';

function raw(node: Node, key: Key): unknown {
  const value: unknown = node.tryGetContext(key);
  return value === '' || value === null ? undefined : value;
}

function integer(node: Node, key: Key, fallback: number, min: number, max: number): number {
  const value = raw(node, key);
  if (value === undefined) return fallback;
  const parsed = typeof value === 'string' ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new ContextError(key, `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

/**
 * The scale-out settings, or undefined when the path is off. It is on when the context sets
 * `scaleOut=true` or any `scaleOutThresholdBytes` (`-c scaleOutThresholdBytes=0` forces every day
 * through it, which the local tests use); `scaleOut=false` turns it off whatever else is set.
 * Off, the daily machine is exactly Validate -> Clean -> Load.
 */
export function scaleOutSettingsFromContext(node: Node): ScaleOutSettings | undefined {
  const enabled = raw(node, 'scaleOut');
  if (
    enabled !== undefined &&
    enabled !== true &&
    enabled !== false &&
    enabled !== 'true' &&
    enabled !== 'false'
  ) {
    throw new ContextError('scaleOut', 'must be true or false');
  }
  if (enabled === false || enabled === 'false') return undefined;
  if (enabled === undefined && raw(node, 'scaleOutThresholdBytes') === undefined) return undefined;
  const d = DEFAULT_SCALE_OUT_SETTINGS;
  return {
    thresholdBytes: integer(node, 'scaleOutThresholdBytes', d.thresholdBytes, 0, Number.MAX_SAFE_INTEGER),
    maxConcurrency: integer(node, 'scaleOutMaxConcurrency', d.maxConcurrency, 1, MAX_CONCURRENCY),
    maxItemsPerBatch: integer(node, 'scaleOutMaxItemsPerBatch', d.maxItemsPerBatch, 1, 100_000_000),
    maxInputBytesPerBatch: integer(
      node,
      'scaleOutMaxInputBytesPerBatch',
      d.maxInputBytesPerBatch,
      MIN_BATCH_BYTES,
      MAX_BATCH_BYTES,
    ),
  };
}
