export * from './telemetry-config.js';
export * from './request-id.js';
export * from './logger.js';
export * from './service-metrics.js';
export * from './metrics-server.js';
export * from './tracing.js';
