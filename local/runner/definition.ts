/**
 * The state machine the local runner executes is the one `cdk synth` produces: the app's stack is
 * synthesized in-process (with `aws:cdk:bundling-stacks: []`, so nothing is bundled) and its
 * DefinitionString resolved to plain ASL. The step functions' environment variables come from the
 * same template, so local runs use the deployed prefixes and thresholds.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { LOCAL_CACHE_DIR } from './cache-dir';
import { findStateMachine, resolveString, type AslDefinition, type CfnTemplate } from './resolve-template';
import { STEP_NAMES, type StepName } from './steps';
import { SynthCache, synthCacheKey } from './synth-cache';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
/** The stack id bin/app.ts gives the stack. */
export const STACK_ID = 'SearchStats';

export interface SynthesizedPipeline {
  readonly definition: AslDefinition;
  /** Each step's Lambda environment, tokens resolved to local stand-ins. */
  readonly environment: Record<StepName, Record<string, string>>;
  readonly template: CfnTemplate;
}

/** The `context` of cdk.json (feature flags and settings), as `cdk synth` would pass it. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: object;
  };
  return { ...cdkJson.context };
}

/** Where synthesized templates are kept between commands (`SEARCH_STATS_SYNTH_CACHE=off` disables). */
const SYNTH_CACHE_DIR = LOCAL_CACHE_DIR;

/**
 * The stack's template (no bundling): from the on-disk cache when nothing it is built from changed,
 * else synthesized in-process and kept.
 */
export function synthesizeTemplate(context: Record<string, unknown> = {}): CfnTemplate {
  if (process.env['SEARCH_STATS_SYNTH_CACHE'] === 'off') return synthesizeFresh(context);
  const cache = new SynthCache(SYNTH_CACHE_DIR);
  const key = synthCacheKey(PROJECT_ROOT, context);
  const cached = cache.get<CfnTemplate>(key);
  if (cached) return cached;
  const template = synthesizeFresh(context);
  cache.set(key, template);
  return template;
}

/** Synthesizes the app's stack in-process. aws-cdk-lib loads only here: a cache hit never pays for it. */
export function synthesizeFresh(context: Record<string, unknown> = {}): CfnTemplate {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const { SearchStatsStack } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../lib/search-stats-stack') as typeof import('../../lib/search-stats-stack');
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'search-stats-synth-'));
  try {
    const app = new App({
      outdir,
      context: { ...cdkJsonContext(), ...context, 'aws:cdk:bundling-stacks': [] },
    });
    const stack = new SearchStatsStack(app, STACK_ID);
    const assembly = app.synth();
    return assembly.getStackArtifact(stack.artifactId).template as CfnTemplate;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function lambdaEnvironment(template: CfnTemplate, functionArn: string | undefined): Record<string, string> {
  const logicalId = /:function:([^:]+)$/.exec(functionArn ?? '')?.[1];
  const fn = logicalId ? template.Resources?.[logicalId] : undefined;
  const variables = (fn?.Properties?.Environment as { Variables?: Record<string, never> } | undefined)
    ?.Variables;
  return Object.fromEntries(
    Object.entries(variables ?? {}).map(([name, value]) => [name, resolveString(value, template)]),
  );
}

const synthesized = new Map<string, SynthesizedPipeline>();

/**
 * The synthesized state machine with states Validate, Clean and Load, as plain ASL. Synthesis takes
 * seconds, so the result is kept for the life of the process (per context).
 */
export function synthesizePipeline(context: Record<string, unknown> = {}): SynthesizedPipeline {
  const cacheKey = JSON.stringify(context);
  const cached = synthesized.get(cacheKey);
  if (cached) return cached;
  const template = synthesizeTemplate(context);
  const definition = findStateMachine(template, STEP_NAMES);
  const environment = Object.fromEntries(
    STEP_NAMES.map((step) => [step, lambdaEnvironment(template, definition.States[step]?.Resource)]),
  ) as Record<StepName, Record<string, string>>;
  const result = { definition, environment, template };
  synthesized.set(cacheKey, result);
  return result;
}

/**
 * The definition as the local runner executes it. aws-local-stepfunctions times a Task out after
 * 60 s unless it has `TimeoutSeconds`; on AWS a Lambda step without one is bounded by the function's
 * own `Timeout`. So each step without `TimeoutSeconds` gets its function's timeout; nothing else changes.
 */
export function withLambdaTimeouts(pipeline: SynthesizedPipeline): AslDefinition {
  const states = { ...pipeline.definition.States };
  for (const step of STEP_NAMES) {
    const state = states[step];
    if (!state || state.TimeoutSeconds !== undefined) continue;
    const logicalId = /:function:([^:]+)$/.exec(state.Resource ?? '')?.[1];
    const timeout = logicalId ? pipeline.template.Resources?.[logicalId]?.Properties?.Timeout : undefined;
    if (typeof timeout === 'number') states[step] = { ...state, TimeoutSeconds: timeout };
  }
  return { ...pipeline.definition, States: states };
}
