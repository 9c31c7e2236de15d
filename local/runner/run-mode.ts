/**
 * Which cleaning path a local run takes. The local run synthesizes the stack with the scale-out path
 * on (`scaleOut: true` over cdk.json's context), so one definition serves every mode; the execution
 * input's `mode` then picks the branch at ChooseCleanPath (lib/workflow/scale-out-path.ts):
 * - `scale-out` / `single` force a path, whatever the day's size;
 * - `auto` is the deployed rule: with cdk.json's context as deployed, the size threshold when the
 *   deployed stack has the path, else always the single Clean step (the default: cdk.json sets no
 *   `scaleOut` key, so the deployed machine is Validate -> Clean -> Load).
 */
import type { Node } from 'constructs';

import { scaleOutSettingsFromContext, type ScaleOutSettings } from '../../lib/workflow/scale-out-settings';
import { SCALE_OUT_MODES } from '../../lib/workflow/scale-out-names';

export const RUN_MODES = ['auto', 'single', 'scale-out'] as const;
export type RunMode = (typeof RUN_MODES)[number];

/** The context the local run synthesizes with (over cdk.json's): the scale-out path is always there. */
export const LOCAL_RUN_CONTEXT: Readonly<Record<string, unknown>> = { scaleOut: true };

/** The deployed stack's scale-out settings for a context (cdk.json's), or undefined when it has no such path. */
export function deployedScaleOut(context: Readonly<Record<string, unknown>>): ScaleOutSettings | undefined {
  // The settings reader only asks the node for context values; this is all of a Node it uses.
  const node = { tryGetContext: (key: string): unknown => context[key] } as unknown as Node;
  return scaleOutSettingsFromContext(node);
}

/** The execution input fields that make `mode` happen on the local definition. */
export function modeInput(
  mode: RunMode,
  deployed: ScaleOutSettings | undefined,
): Readonly<Record<string, unknown>> {
  if (mode === 'scale-out') return { mode: SCALE_OUT_MODES.scaleOut };
  if (mode === 'single') return { mode: SCALE_OUT_MODES.single };
  // auto: the size decides on the local definition only if it decides on the deployed one.
  return deployed ? {} : { mode: SCALE_OUT_MODES.single };
}
