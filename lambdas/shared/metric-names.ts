/**
 * The names the pipeline's CloudWatch metrics go by: shared by the Lambdas that emit them (EMF,
 * Powertools Metrics) and the CDK constructs that graph and alarm on them, so both agree.
 * Each metric has the dimensions `service` (the stack name, POWERTOOLS_SERVICE_NAME) and `step`.
 */
export const METRICS_NAMESPACE = 'SearchStats';

/** The `step` dimension's values. Scale-out Combine reports as `clean`: it returns the Clean result. */
export const METRIC_STEPS = { validate: 'validate', clean: 'clean', load: 'load' } as const;
export type MetricStep = (typeof METRIC_STEPS)[keyof typeof METRIC_STEPS];

export const METRIC = {
  /** Clean: data lines read from the day file. */
  rowsRead: 'RowsRead',
  /** Clean: users kept (rows in the cleaned dataset). */
  rowsKept: 'RowsKept',
  /** Clean: exact repeats of a kept line, dropped. */
  rowsDuplicate: 'RowsDuplicate',
  /** Clean: lines rejected (written to the rejected-rows object). */
  rowsRejected: 'RowsRejected',
  /** Clean: rejected / read, in percent (the failing threshold is a fraction of the same ratio). */
  rejectedShare: 'RejectedShare',
  /** Clean: size of the day's input object. */
  inputBytes: 'InputBytes',
  /** Every step: wall time of the step's work in the handler. */
  stepDuration: 'StepDuration',
  /** Load: valid searches loaded into `valid_searches`. */
  rowsLoaded: 'RowsLoaded',
  /** Load: days loaded (1 per successful load): the freshness alarm counts these. */
  daysLoaded: 'DaysLoaded',
} as const;
