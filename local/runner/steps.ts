/**
 * The state names the local runner maps to the pipeline's core functions: the daily workflow's
 * Task names (`lib/workflow/daily-workflow.ts`), fixed because the runner finds the states by them.
 */
export const STEP_NAMES = ['Validate', 'Clean', 'Load'] as const;
export type StepName = (typeof STEP_NAMES)[number];
