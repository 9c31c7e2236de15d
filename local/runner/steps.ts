/** The state names the local runner maps to the pipeline's core functions (PLAN.md: fixed). */
export const STEP_NAMES = ['Validate', 'Clean', 'Load'] as const;
export type StepName = (typeof STEP_NAMES)[number];
