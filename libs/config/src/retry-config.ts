/** Settings of the automatic retries (README "Automatic retries"). */
export interface RetryConfig {
  /** Attempts of a job submitted without scheduling.maxAttempts (1..10; 1 = no automatic retry). */
  readonly defaultMaxAttempts: number;
  /** Delay of the first retry, seconds, before jitter; the n-th retry waits base × 2^(n−1). */
  readonly baseSeconds: number;
  /** Longest delay, seconds. */
  readonly maxSeconds: number;
  /** The due-time loop reads the stored due times at least this often, seconds. */
  readonly pollSeconds: number;
}

export const MAX_ATTEMPTS_LIMIT = 10;

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

export function loadRetryConfig(env: NodeJS.ProcessEnv = process.env): RetryConfig {
  const defaultMaxAttempts = positive(env, 'MAX_ATTEMPTS', 3);
  if (!Number.isInteger(defaultMaxAttempts) || defaultMaxAttempts > MAX_ATTEMPTS_LIMIT) {
    throw new Error(`MAX_ATTEMPTS must be a whole number from 1 to ${MAX_ATTEMPTS_LIMIT}, got "${env.MAX_ATTEMPTS}"`);
  }
  const baseSeconds = positive(env, 'RETRY_BASE_SECONDS', 30);
  const maxSeconds = positive(env, 'RETRY_MAX_SECONDS', 3600);
  if (maxSeconds < baseSeconds) throw new Error('RETRY_MAX_SECONDS must be at least RETRY_BASE_SECONDS');
  return { defaultMaxAttempts, baseSeconds, maxSeconds, pollSeconds: positive(env, 'RETRY_POLL_SECONDS', 60) };
}
