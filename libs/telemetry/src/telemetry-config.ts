/** Telemetry settings, read once from the environment (see README, Telemetry). */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface TelemetryConfig {
  readonly logLevel: LogLevel;
  /** When set, `/metrics` answers only `Authorization: Bearer <token>`. */
  readonly metricsToken: string | null;
  /** A standalone worker serves `/metrics` and `/health/live` on this port; null = not served. */
  readonly workerMetricsPort: number | null;
  /** `/health/ready` turns 503 when the job projection's oldest unapplied event is older than this. */
  readonly readyMaxProjectionLagSeconds: number;
}

export function loadTelemetryConfig(env: NodeJS.ProcessEnv = process.env): TelemetryConfig {
  const level = (env.LOG_LEVEL || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  const port = env.METRICS_PORT;
  const metricsPort = port === undefined || port === '' ? null : Number(port);
  if (metricsPort !== null && (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535)) {
    throw new Error(`METRICS_PORT must be a port number (0-65535), got "${port}"`);
  }
  const lag = env.READY_MAX_PROJECTION_LAG_SECONDS;
  const maxLag = lag === undefined || lag === '' ? 60 : Number(lag);
  if (!Number.isFinite(maxLag) || maxLag <= 0) throw new Error(`READY_MAX_PROJECTION_LAG_SECONDS must be a positive number of seconds, got "${lag}"`);
  return {
    logLevel: level as LogLevel,
    metricsToken: env.METRICS_TOKEN || null,
    workerMetricsPort: metricsPort,
    readyMaxProjectionLagSeconds: maxLag,
  };
}
