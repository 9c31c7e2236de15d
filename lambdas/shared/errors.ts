/**
 * Errors named for what a retry can do about them. Step Functions matches a Lambda error by its
 * `name` (the Lambda runtime reports it as `errorType`), so these names are part of the contract
 * with the state machine's retry policy in `lib/workflow/retry-policy.ts`.
 */

abstract class PipelineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Never retried: the input itself is wrong (bad request, bad date, bad config). */
export class InvalidRequest extends PipelineError {
  override name = 'InvalidRequest' as const;
}

/** Retried: the day's object has not arrived yet (it may arrive late). */
export class InputNotFound extends PipelineError {
  override name = 'InputNotFound' as const;
}

/**
 * Never retried: a scheduled run found no input at its time. The file's arrival starts its own run
 * (lambdas/trigger), so retrying here could load the day twice; the failure is notified once, at once.
 */
export class InputNotArrived extends PipelineError {
  override name = 'InputNotArrived' as const;
}

/** Never retried: more than one candidate object, or a zip with zero / several entries. */
export class AmbiguousInput extends PipelineError {
  override name = 'AmbiguousInput' as const;
}

/** Never retried: the file is not a readable CSV (binary, truncated archive, schema mismatch). */
export class MalformedInput extends PipelineError {
  override name = 'MalformedInput' as const;
}

/** Never retried: the rejected share is above the configured threshold. */
export class TooManyRejectedRows extends PipelineError {
  override name = 'TooManyRejectedRows' as const;
}

/**
 * Never retried: the day kept no rows, or far fewer than its recent days (the volume guard), and the
 * execution input did not say the drop is expected (`"allowVolumeDrop": true`).
 */
export class SuspiciousVolume extends PipelineError {
  override name = 'SuspiciousVolume' as const;
}

/** Never retried: the warehouse rejected a statement (SQL error, validation). */
export class WarehouseStatementFailed extends PipelineError {
  override name = 'WarehouseStatementFailed' as const;
}

/** Retried: the warehouse was busy, throttled, unreachable, or a statement timed out. */
export class WarehouseUnavailable extends PipelineError {
  override name = 'WarehouseUnavailable' as const;
}

/** Error names that a retry cannot fix; the state machine fails these at once. */
export const NON_RETRYABLE_ERRORS = [
  'InvalidRequest',
  'InputNotArrived',
  'AmbiguousInput',
  'MalformedInput',
  'TooManyRejectedRows',
  'SuspiciousVolume',
  'WarehouseStatementFailed',
] as const;
