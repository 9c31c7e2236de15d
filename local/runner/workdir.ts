/**
 * Where the local run keeps its state. Everything lives under one work directory (default `.work/`),
 * so deleting it resets the local environment.
 */
import path from 'node:path';

import { ENV, loadPipelineConfig, type PipelineConfig } from '../../lambdas/shared/function-env';

export const DEFAULT_WORKDIR = '.work';

/** Bucket names of the embedded S3 (the prefixes are the pipeline's defaults). */
export const LOCAL_BUCKETS = { incoming: 'incoming', clean: 'clean' } as const;

export interface WorkdirPaths {
  readonly root: string;
  /** s3rver's data directory: one sub-directory per bucket. */
  readonly s3: string;
  /** PGlite's data directory. */
  readonly warehouse: string;
  /** Where `demo` generates its input files. */
  readonly input: string;
  /** The failure notifications the local runs published, one JSON line each (SNS stand-in). */
  readonly notifications: string;
  /** One record per execution started by name (`watch`): Step Functions' one-run-per-name rule. */
  readonly executions: string;
}

export function workdirPaths(workdir: string = DEFAULT_WORKDIR): WorkdirPaths {
  const root = path.resolve(workdir);
  return {
    root,
    s3: path.join(root, 's3'),
    warehouse: path.join(root, 'warehouse'),
    input: path.join(root, 'input'),
    notifications: path.join(root, 'notifications.jsonl'),
    executions: path.join(root, 'executions'),
  };
}

/**
 * The configuration the Lambdas read from their environment: the synthesized functions' variables
 * (prefixes, threshold, code version), with the embedded S3's bucket names.
 */
export function localPipelineConfig(
  lambdaEnvironment: Readonly<Record<string, string>> = {},
): PipelineConfig {
  return loadPipelineConfig({
    ...lambdaEnvironment,
    [ENV.incomingBucket]: LOCAL_BUCKETS.incoming,
    [ENV.cleanBucket]: LOCAL_BUCKETS.clean,
  });
}
