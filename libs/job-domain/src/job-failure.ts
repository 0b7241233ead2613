/**
 * What kind of failure ended a job, and whether running it again may succeed. Decided where
 * the failure is known (the job's runner, the node, the supervisor) and stored on JobFailed;
 * the automatic retries act on `retryable` only.
 */
export const FAILURE_CATEGORIES = {
  /** The job's node died or went silent more often than MAX_LOST_ATTEMPTS allows. */
  NodeLost: true,
  /** The job ran past its timeout and was stopped. */
  Timeout: true,
  /** A file or process operation failed for a reason that passes (no space, too many files, a busy or reset resource). */
  TransientIO: true,
  /** The job's process ended without a result (killed, out of memory): the run, not the job, failed. */
  RunnerCrashed: true,
  /** Parameters the data cannot satisfy: the submitter's to fix. */
  InvalidParameters: false,
  /** The dataset (or model) is missing, or its columns or markup cannot be read. */
  DatasetUnreadable: false,
  /** The engine failed on this input: running it again computes the same failure. */
  EngineError: false,
  /** A job it depends on (a pipeline) failed for good or was cancelled: it never ran. */
  DependencyFailed: false,
} as const satisfies Record<string, boolean>;

export type FailureCategory = keyof typeof FAILURE_CATEGORIES;

export interface FailureClassification {
  readonly category: FailureCategory;
  readonly retryable: boolean;
}

export function classified(category: FailureCategory): FailureClassification {
  return { category, retryable: FAILURE_CATEGORIES[category] };
}

/**
 * The classification of a JobFailed stored without one (before failures were classified):
 * the error types that name their cause are inferred (Timeout, NodeLost, InvalidInput); an
 * ExecutionError could have been anything and is read as an EngineError, not retryable.
 */
export function inferredFailure(errorType: string): FailureClassification {
  switch (errorType) {
    case 'Timeout': return classified('Timeout');
    case 'NodeLost': return classified('NodeLost');
    case 'InvalidInput': return classified('InvalidParameters');
    default: return classified('EngineError');
  }
}

/** Error codes of Node's file and process calls that name a passing condition, not a broken job. */
const TRANSIENT_IO_CODES = new Set([
  'EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'ENOSPC', 'EIO', 'ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EDQUOT', 'ENOMEM',
]);

/** Whether an error thrown by a run is a transient I/O error (by its Node error code). */
export function isTransientIoError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_IO_CODES.has(code);
}

/**
 * The delay before automatic retry number `attempt` (the attempt about to run, 2 for the
 * first retry): base × 2^(attempt − 2) capped at `maxSeconds`, with equal jitter (half the
 * delay fixed, half drawn from `random`, a source of numbers in [0, 1)). Equal rather than
 * full jitter: a retry never comes at once, and below the cap each delay is at least the
 * previous one's upper bound, so delays never shrink from one attempt to the next there.
 */
export function retryDelaySeconds(
  attempt: number, policy: { readonly baseSeconds: number; readonly maxSeconds: number }, random: () => number,
): number {
  const exponent = Math.max(0, attempt - 2);
  const capped = Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** exponent);
  const draw = Math.min(Math.max(random(), 0), 1);
  return capped / 2 + (capped / 2) * draw;
}

/** No delay of a submitter's retry policy is longer than this (a day, the largest `retryDelay` accepted). */
export const MAX_POLICY_RETRY_DELAY_SECONDS = 86_400;

/**
 * The delay before automatic retry number `attempt` (2 for the first retry) under a job's own
 * retry policy: exactly `retryDelay · backoffMultiplier^(attempt − 2)`, capped at a day. No
 * jitter: the submitter asked for this delay.
 */
export function policyRetryDelaySeconds(
  attempt: number, policy: { readonly retryDelay: number; readonly backoffMultiplier: number },
): number {
  const delay = policy.retryDelay * policy.backoffMultiplier ** Math.max(0, attempt - 2);
  return Math.min(MAX_POLICY_RETRY_DELAY_SECONDS, delay);
}
