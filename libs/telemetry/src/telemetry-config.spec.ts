import { describe, expect, it } from '@jest/globals';
import { requestIdOf } from './request-id.js';
import { loadTelemetryConfig } from './telemetry-config.js';
import { tracingRequested } from './tracing.js';

describe('telemetry settings', () => {
  it('defaults: info logs, open metrics, no worker port, 60 s projection lag', () => {
    expect(loadTelemetryConfig({})).toEqual({ logLevel: 'info', metricsToken: null, workerMetricsPort: null, readyMaxProjectionLagSeconds: 60 });
  });

  it('refuses a level, port or lag it cannot use, naming the variable', () => {
    expect(() => loadTelemetryConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => loadTelemetryConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
    expect(() => loadTelemetryConfig({ READY_MAX_PROJECTION_LAG_SECONDS: '0' })).toThrow(/READY_MAX_PROJECTION_LAG_SECONDS/);
  });

  it('tracing only when an exporter is asked for and the SDK is not disabled', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });
});

describe('request ids', () => {
  it('takes a well-formed X-Request-Id, generates one when absent, refuses others', () => {
    expect(requestIdOf('abc-123:x/y')).toEqual({ requestId: 'abc-123:x/y' });
    expect(requestIdOf(undefined)).toEqual({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    for (const bad of ['with space', 'x'.repeat(129), 'new\nline', ['a', 'b']]) expect(requestIdOf(bad)).toHaveProperty('invalid');
  });
});
