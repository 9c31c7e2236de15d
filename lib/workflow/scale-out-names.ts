/** The state names of the scale-out path (the local runner maps its handlers by them). */
export const SCALE_OUT_STATE_NAMES = {
  choose: 'ChooseCleanPath',
  prepare: 'Prepare',
  map: 'CleanBatches',
  worker: 'CleanBatch',
  combine: 'Combine',
} as const;

/** Values of the execution input's optional `mode` that force a path, whatever the day's size. */
export const SCALE_OUT_MODES = { scaleOut: 'scale-out', single: 'single' } as const;
