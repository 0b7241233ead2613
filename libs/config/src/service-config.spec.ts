import os from 'node:os';
import { describe, expect, it } from '@jest/globals';
import { loadServiceConfig } from './service-config.js';

describe('loadServiceConfig: tokens and priorities', () => {
  it('defaults to the service name as audience, one day of token lifetime and High for operators', () => {
    expect(loadServiceConfig({})).toMatchObject({ jwtAudience: 'pm-job-execution', jwtMaxTtlSeconds: 86_400, maxOperatorPriority: 'High' });
  });

  it('reads JWT_AUDIENCE, JWT_MAX_TTL_SECONDS and MAX_OPERATOR_PRIORITY', () => {
    expect(loadServiceConfig({ JWT_AUDIENCE: 'jobs-eu', JWT_MAX_TTL_SECONDS: '600', MAX_OPERATOR_PRIORITY: 'Critical' }))
      .toMatchObject({ jwtAudience: 'jobs-eu', jwtMaxTtlSeconds: 600, maxOperatorPriority: 'Critical' });
  });

  it('refuses an unknown priority and a lifetime that is not a positive whole number, naming the variable', () => {
    expect(() => loadServiceConfig({ MAX_OPERATOR_PRIORITY: 'Urgent' })).toThrow(/MAX_OPERATOR_PRIORITY must be one of Low, Normal, High, Critical/);
    expect(() => loadServiceConfig({ JWT_MAX_TTL_SECONDS: '0' })).toThrow(/JWT_MAX_TTL_SECONDS/);
    expect(() => loadServiceConfig({ JWT_MAX_TTL_SECONDS: '1.5' })).toThrow(/JWT_MAX_TTL_SECONDS/);
  });
});

describe('loadServiceConfig: queue', () => {
  it('has no per-tenant cap unless TENANT_MAX_RUNNING_JOBS names a whole number of at least 1', () => {
    expect(loadServiceConfig({}).tenantMaxRunningJobs).toBeNull();
    expect(loadServiceConfig({ TENANT_MAX_RUNNING_JOBS: '' }).tenantMaxRunningJobs).toBeNull();
    expect(loadServiceConfig({ TENANT_MAX_RUNNING_JOBS: '8' }).tenantMaxRunningJobs).toBe(8);
    for (const bad of ['0', '2.5', '-1', 'many']) {
      expect(() => loadServiceConfig({ TENANT_MAX_RUNNING_JOBS: bad })).toThrow(/TENANT_MAX_RUNNING_JOBS must be a whole number of at least 1/);
    }
  });
});

describe('loadServiceConfig: claim fallback poll', () => {
  it('polls for queued jobs every 30 s by default, or every CLAIM_POLL_SECONDS, and refuses zero or less', () => {
    expect(loadServiceConfig({}).claimPollSeconds).toBe(30);
    expect(loadServiceConfig({ CLAIM_POLL_SECONDS: '0.5' }).claimPollSeconds).toBe(0.5);
    expect(() => loadServiceConfig({ CLAIM_POLL_SECONDS: '0' })).toThrow(/CLAIM_POLL_SECONDS must be a positive number/);
    expect(() => loadServiceConfig({ CLAIM_POLL_SECONDS: 'soon' })).toThrow(/CLAIM_POLL_SECONDS/);
  });
});

describe('loadServiceConfig: idle heartbeat', () => {
  it('is 3 heartbeats, at most half the lease, never shorter than the heartbeat', () => {
    expect(loadServiceConfig({}).idleHeartbeatSeconds).toBe(15);
    expect(loadServiceConfig({ HEARTBEAT_SECONDS: '1', LEASE_SECONDS: '3' }).idleHeartbeatSeconds).toBe(1.5);
    expect(loadServiceConfig({ HEARTBEAT_SECONDS: '2', LEASE_SECONDS: '60' }).idleHeartbeatSeconds).toBe(6);
    expect(loadServiceConfig({ HEARTBEAT_SECONDS: '5', LEASE_SECONDS: '4' }).idleHeartbeatSeconds).toBe(5);
  });
});

describe('loadServiceConfig: job runners and progress rate', () => {
  it('recycles runners after 500 jobs or above 1024 MB by default, and refuses anything but a whole number of at least 1', () => {
    expect(loadServiceConfig({})).toMatchObject({ runnerMaxJobs: 500, runnerMaxRssMb: 1024 });
    expect(loadServiceConfig({ RUNNER_MAX_JOBS: '1', RUNNER_MAX_RSS_MB: '2048' })).toMatchObject({ runnerMaxJobs: 1, runnerMaxRssMb: 2048 });
    for (const name of ['RUNNER_MAX_JOBS', 'RUNNER_MAX_RSS_MB']) {
      for (const bad of ['0', '2.5', '-1', 'many']) {
        expect(() => loadServiceConfig({ [name]: bad })).toThrow(new RegExp(name));
      }
    }
  });

  it('kills a runner not ready within 30 s by default, in seconds above zero', () => {
    expect(loadServiceConfig({}).datasetImportReadyProcesses).toBe(1);
    expect(loadServiceConfig({ DATASET_IMPORT_READY_PROCESSES: '0' }).datasetImportReadyProcesses).toBe(0);
    expect(loadServiceConfig({}).datasetImportReadThreads).toBe(os.availableParallelism() < 2 ? 0 : Math.min(os.availableParallelism(), 4));
    expect(loadServiceConfig({ DATASET_IMPORT_READ_THREADS: '0' }).datasetImportReadThreads).toBe(0);
    for (const bad of ['-1', 'all']) expect(() => loadServiceConfig({ DATASET_IMPORT_READ_THREADS: bad })).toThrow(/DATASET_IMPORT_READ_THREADS/);
    for (const bad of ['-1', 'two']) expect(() => loadServiceConfig({ DATASET_IMPORT_READY_PROCESSES: bad })).toThrow(/DATASET_IMPORT_READY_PROCESSES/);
    expect(loadServiceConfig({}).runnerReadyTimeoutMs).toBe(30_000);
    expect(loadServiceConfig({ RUNNER_READY_TIMEOUT_SECONDS: '2.5' }).runnerReadyTimeoutMs).toBe(2500);
    for (const bad of ['0', '-1', 'soon']) expect(() => loadServiceConfig({ RUNNER_READY_TIMEOUT_SECONDS: bad })).toThrow(/RUNNER_READY_TIMEOUT_SECONDS/);
  });

  it('appends progress at most every second and every 5 s without a stage change by default, in seconds above zero', () => {
    expect(loadServiceConfig({})).toMatchObject({ progressMinIntervalMs: 1000, progressEveryMs: 5000 });
    expect(loadServiceConfig({ PROGRESS_MIN_INTERVAL: '0.5', PROGRESS_SECONDS: '10' })).toMatchObject({ progressMinIntervalMs: 500, progressEveryMs: 10_000 });
    for (const name of ['PROGRESS_MIN_INTERVAL', 'PROGRESS_SECONDS']) {
      expect(() => loadServiceConfig({ [name]: '0' })).toThrow(new RegExp(`${name} must be a positive number of seconds`));
      expect(() => loadServiceConfig({ [name]: 'often' })).toThrow(new RegExp(name));
    }
  });
});

describe('loadServiceConfig: leader checks, supervision sweeps, event fallback poll', () => {
  it('checks leadership every 5 s, sweeps every third of the lease (1 to 10 s), polls events every 60 s by default', () => {
    const defaults = loadServiceConfig({});
    expect([defaults.leaderCheckSeconds, defaults.supervisorSweepSeconds, defaults.eventPollSeconds]).toEqual([5, 10, 60]);
    expect(loadServiceConfig({ LEASE_SECONDS: '6' }).supervisorSweepSeconds).toBe(2);
    expect(loadServiceConfig({ LEASE_SECONDS: '2' }).supervisorSweepSeconds).toBe(1);
    expect(loadServiceConfig({ LEASE_SECONDS: '600' }).supervisorSweepSeconds).toBe(10);
  });

  it('takes each setting in seconds (fractions too) and refuses zero or less', () => {
    const config = loadServiceConfig({ LEADER_CHECK_SECONDS: '0.5', SUPERVISOR_SWEEP_SECONDS: '3', EVENT_POLL_SECONDS: '1.5' });
    expect([config.leaderCheckSeconds, config.supervisorSweepSeconds, config.eventPollSeconds]).toEqual([0.5, 3, 1.5]);
    for (const name of ['LEADER_CHECK_SECONDS', 'SUPERVISOR_SWEEP_SECONDS', 'EVENT_POLL_SECONDS']) {
      expect(() => loadServiceConfig({ [name]: '0' })).toThrow(new RegExp(`${name} must be a positive number of seconds`));
      expect(() => loadServiceConfig({ [name]: 'often' })).toThrow(new RegExp(name));
    }
  });
});

describe('loadServiceConfig: job log retention', () => {
  it('keeps job log lines 30 days by default, takes days (fractions too), and refuses zero or less', () => {
    expect(loadServiceConfig({}).jobLogRetentionDays).toBe(30);
    expect(loadServiceConfig({ JOB_LOG_RETENTION_DAYS: '7' }).jobLogRetentionDays).toBe(7);
    expect(loadServiceConfig({ JOB_LOG_RETENTION_DAYS: '0.5' }).jobLogRetentionDays).toBe(0.5);
    expect(() => loadServiceConfig({ JOB_LOG_RETENTION_DAYS: '0' })).toThrow(/JOB_LOG_RETENTION_DAYS must be a positive number of days/);
    expect(() => loadServiceConfig({ JOB_LOG_RETENTION_DAYS: 'forever' })).toThrow(/JOB_LOG_RETENTION_DAYS/);
  });
});
