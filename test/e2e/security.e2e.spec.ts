/** Token audience and lifetime, the signing secret's length, roles and the priority cap, over real HTTP. */
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_TOKEN_AUDIENCE, issueToken } from '../../libs/auth/src/token.js';
import { useServiceWithRunningExample } from '../support/service-fixture.js';
import { TEST_JWT_SECRET, api, removeDataDir, startServiceProcess, type ServiceProcess } from '../support/service-process.js';

const tenant = randomUUID();
const project = randomUUID();
const base = `/api/${tenant}/${project}`;
const AUDIENCE = 'security-e2e';
const MAX_TTL_SECONDS = 7200;
let service: ServiceProcess;
let datasetId: string;

useServiceWithRunningExample(
  { tenant, project, subject: 'owner', env: { JWT_AUDIENCE: AUDIENCE, JWT_MAX_TTL_SECONDS: String(MAX_TTL_SECONDS) } },
  (f) => ({ service, datasetId } = f),
);

const secret = new TextEncoder().encode(TEST_JWT_SECRET);
const principal = (roles: ('viewer' | 'operator' | 'admin')[]) => ({ subject: 'sec', tenantId: tenant, projects: [project], roles });
const scheduledJob = (priority: string) => ({
  jobName: `${priority} job`, jobType: 'Analysis', priority, parameters: { datasetId, analysisType: 'statistics' },
  scheduling: { scheduledTime: new Date(Date.now() + 3600_000).toISOString() },
});

describe('tokens', () => {
  it('refuses a token for another audience (401 naming the audience), accepts the configured one', async () => {
    const foreign = await issueToken(secret, principal(['operator']), 600, DEFAULT_TOKEN_AUDIENCE);
    const refused = await api(service.url, foreign, 'GET', `${base}/execution/jobs`);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    expect(refused.body.message).toContain(`audience must be "${AUDIENCE}"`);
    const ours = await issueToken(secret, principal(['operator']), 600, AUDIENCE);
    expect((await api(service.url, ours, 'GET', `${base}/execution/jobs`)).status).toBe(200);
  });

  it('refuses a token living longer than JWT_MAX_TTL_SECONDS', async () => {
    const tooLong = await issueToken(secret, principal(['operator']), MAX_TTL_SECONDS + 1, AUDIENCE);
    const res = await api(service.url, tooLong, 'GET', `${base}/execution/jobs`);
    expect(res.status).toBe(401);
    expect(res.body.message).toContain(`maximum of ${MAX_TTL_SECONDS} seconds`);
    const longest = await issueToken(secret, principal(['operator']), MAX_TTL_SECONDS, AUDIENCE);
    expect((await api(service.url, longest, 'GET', `${base}/execution/jobs`)).status).toBe(200);
  });

  it('a token without roles reads nothing (403), a viewer reads', async () => {
    const viewer = await service.token(tenant, [project], 'viewer', ['viewer']);
    const submitted = await api(service.url, await service.token(tenant, [project], 'op'), 'POST', `${base}/execution/job`, scheduledJob('Normal'));
    expect(submitted.status).toBe(201);
    const roleless = await service.token(tenant, [project], 'nobody', []);
    for (const urlPath of [
      `${base}/execution/jobs`, `${base}/execution/job/${submitted.body.jobId}`, `${base}/datasets/${datasetId}`,
      `/api/${tenant}/execution/system/status`,
    ]) {
      const res = await api(service.url, roleless, 'GET', urlPath);
      expect([urlPath, res.status, res.body.error]).toEqual([urlPath, 403, 'Forbidden']);
      expect(JSON.stringify(res.body)).not.toContain(submitted.body.jobId);
      expect((await api(service.url, viewer, 'GET', urlPath)).status).toBe(200);
    }
  });

  it('the token command issues for JWT_AUDIENCE and refuses a --ttl beyond JWT_MAX_TTL_SECONDS', async () => {
    const cli = path.resolve('dist/libs/auth/src/cli/print-token.js');
    const env = { ...process.env, JWT_SECRET: TEST_JWT_SECRET, JWT_AUDIENCE: AUDIENCE, JWT_MAX_TTL_SECONDS: String(MAX_TTL_SECONDS) };
    const args = ['--tenant', tenant, '--project', project, '--sub', 'cli-user'];
    const printed = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });
    expect(printed.status).toBe(0);
    expect((await api(service.url, printed.stdout.trim(), 'GET', `${base}/execution/jobs`)).status).toBe(200);
    const refused = spawnSync(process.execPath, [cli, ...args, '--ttl', String(MAX_TTL_SECONDS + 1)], { env, encoding: 'utf8' });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`--ttl must be at most ${MAX_TTL_SECONDS} seconds`);
    expect(refused.stdout).toBe('');
  });

  it('a token made with another DATA_DIR is refused saying so; the token command creates no secret unless asked', async () => {
    const cli = path.resolve('dist/libs/auth/src/cli/print-token.js');
    const serverDir = mkdtempSync(path.join(os.tmpdir(), 'pm-e2e-server-secret-'));
    const otherDir = mkdtempSync(path.join(os.tmpdir(), 'pm-e2e-other-secret-'));
    // No JWT_SECRET: the service generates its secret into its DATA_DIR.
    const generated = await startServiceProcess({ JWT_SECRET: '', JWT_AUDIENCE: AUDIENCE }, serverDir);
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, JWT_AUDIENCE: AUDIENCE };
      delete env.JWT_SECRET;
      const tokenWith = (dataDir: string, ...extra: string[]) => spawnSync(process.execPath,
        [cli, '--tenant', tenant, '--project', project, '--sub', 'cli-user', ...extra], { env: { ...env, DATA_DIR: dataDir }, encoding: 'utf8' });

      const refused = tokenWith(otherDir);
      expect(refused.status).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain(`no signing secret in ${path.join(otherDir, 'jwt-secret')}`);
      expect(refused.stderr).toContain('--create');
      expect(existsSync(path.join(otherDir, 'jwt-secret'))).toBe(false);

      const foreign = tokenWith(otherDir, '--create');
      expect(foreign.status).toBe(0);
      const foreignKeyId = /signed with key id (\S+)/.exec(foreign.stderr)?.[1];
      const serverKeyId = /token key id: ([^)\s;]+)/.exec(generated.output())?.[1];
      expect([foreignKeyId, serverKeyId]).toEqual([expect.any(String), expect.any(String)]);
      expect(foreignKeyId).not.toBe(serverKeyId);
      const rejected = await api(generated.url, foreign.stdout.trim(), 'GET', `${base}/execution/jobs`);
      expect(rejected.status).toBe(401);
      expect(rejected.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect(rejected.body.message).toBe(`token signed with a different secret (key id ${foreignKeyId}; this service's key id is ${serverKeyId})`
        + ": run npm run token with this service's DATA_DIR (or its JWT_SECRET)");

      const paired = tokenWith(serverDir);
      expect(paired.status).toBe(0);
      expect(paired.stderr).toContain(`signed with key id ${serverKeyId} (${path.join(serverDir, 'jwt-secret')})`);
      expect((await api(generated.url, paired.stdout.trim(), 'GET', `${base}/execution/jobs`)).status).toBe(200);
      // The secret itself appears nowhere.
      const serverSecret = readFileSync(path.join(serverDir, 'jwt-secret'), 'utf8').trim();
      expect([rejected.body.message, paired.stderr, generated.output()].join('\n')).not.toContain(serverSecret);
    } finally {
      await generated.stop();
      removeDataDir(serverDir);
      removeDataDir(otherDir);
    }
  });

  it('the service refuses to start with a JWT_SECRET shorter than 32 bytes, saying why', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pm-e2e-short-secret-'));
    try {
      const start = startServiceProcess({ JWT_SECRET: 'x'.repeat(31) }, dataDir);
      await expect(start).rejects.toThrow(/service exited with 1[\s\S]*JWT_SECRET is 31 bytes; at least 32 are required/);
    } finally {
      removeDataDir(dataDir);
    }
  });
});

describe('priority', () => {
  it('an operator may submit up to High; Critical is a 403 naming priority; an admin may submit Critical', async () => {
    const operator = await service.token(tenant, [project], 'op', ['operator']);
    expect((await api(service.url, operator, 'POST', `${base}/execution/job`, scheduledJob('High'))).status).toBe(201);
    const refused = await api(service.url, operator, 'POST', `${base}/execution/job`, scheduledJob('Critical'));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ statusCode: 403, error: 'Forbidden', errors: [{ field: 'priority' }] });
    expect(refused.body.message).toContain('admin');
    const admin = await service.token(tenant, [project], 'boss', ['admin']);
    const critical = await api(service.url, admin, 'POST', `${base}/execution/job`, scheduledJob('Critical'));
    expect(critical.status).toBe(201);
    expect(critical.body.priority).toBe('Critical');
  });

  it("an operator's retry of a Critical job must lower its priority", async () => {
    const admin = await service.token(tenant, [project], 'boss', ['admin']);
    const operator = await service.token(tenant, [project], 'op', ['operator']);
    const critical = await api(service.url, admin, 'POST', `${base}/execution/job`, scheduledJob('Critical'));
    expect((await api(service.url, admin, 'DELETE', `${base}/execution/job/${critical.body.jobId}`, { reason: 'retry test' })).status).toBe(200);
    const keepsCritical = await api(service.url, operator, 'POST', `${base}/execution/job/${critical.body.jobId}/retry`, { retryReason: 'again' });
    expect(keepsCritical.status).toBe(403);
    expect(keepsCritical.body.errors).toEqual([{ field: 'priority', message: expect.stringContaining('Critical') }]);
    const lowered = await api(service.url, operator, 'POST', `${base}/execution/job/${critical.body.jobId}/retry`, { retryReason: 'again', priority: 'High' });
    expect(lowered.status).toBe(200);
    expect(lowered.body.priority).toBe('High');
  });
});
