import { describe, expect, it } from '@jest/globals';
import { loadRetryConfig } from './retry-config.js';

describe('retry config', () => {
  it('defaults to 3 attempts, 30 s base, 1 h cap, a 60 s poll', () => {
    expect(loadRetryConfig({})).toEqual({ defaultMaxAttempts: 3, baseSeconds: 30, maxSeconds: 3600, pollSeconds: 60 });
  });

  it('takes fractions of seconds and refuses attempts outside 1..10, a cap below the base, or non-numbers', () => {
    expect(loadRetryConfig({ MAX_ATTEMPTS: '1', RETRY_BASE_SECONDS: '0.05', RETRY_MAX_SECONDS: '0.4' }))
      .toMatchObject({ defaultMaxAttempts: 1, baseSeconds: 0.05, maxSeconds: 0.4 });
    expect(() => loadRetryConfig({ MAX_ATTEMPTS: '11' })).toThrow(/MAX_ATTEMPTS/);
    expect(() => loadRetryConfig({ MAX_ATTEMPTS: '0' })).toThrow(/MAX_ATTEMPTS/);
    expect(() => loadRetryConfig({ MAX_ATTEMPTS: '2.5' })).toThrow(/MAX_ATTEMPTS/);
    expect(() => loadRetryConfig({ RETRY_BASE_SECONDS: '10', RETRY_MAX_SECONDS: '5' })).toThrow(/RETRY_MAX_SECONDS/);
    expect(() => loadRetryConfig({ RETRY_BASE_SECONDS: 'soon' })).toThrow(/RETRY_BASE_SECONDS/);
  });
});
