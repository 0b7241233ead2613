/** Injection tokens of the API's telemetry: the process's metrics and the telemetry settings. */
export const SERVICE_METRICS = Symbol('ServiceMetrics');
export const TELEMETRY_CONFIG = Symbol('TelemetryConfig');
