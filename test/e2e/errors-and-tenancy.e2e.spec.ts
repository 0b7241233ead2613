/** Every error code and validation rule of the API, and tenant isolation, over real HTTP. */
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { SignJWT } from 'jose';
import { describe, expect, it } from '@jest/globals';
import { useServiceWithRunningExample } from '../support/service-fixture.js';
import { TEST_JWT_SECRET, api, type ServiceProcess } from '../support/service-process.js';

const tenant = randomUUID();
const project = randomUUID();
const base = `/api/${tenant}/${project}`;
let service: ServiceProcess;
let token: string;
let datasetId: string;

const validJob = () => ({
  jobName: 'Valid', jobType: 'Analysis', priority: 'Normal', parameters: { datasetId, analysisType: 'statistics' },
  scheduling: { scheduledTime: new Date(Date.now() + 3600_000).toISOString(), timeoutMinutes: 60 },
});

function fields(body: { errors?: { field: string }[] }): string[] {
  return [...new Set((body.errors ?? []).map((e) => e.field))];
}

useServiceWithRunningExample({ tenant, project, subject: 'owner' }, (f) => ({ service, token, datasetId } = f));

describe('authentication (401)', () => {
  it('no token', async () => {
    const res = await api(service.url, null, 'GET', `${base}/execution/jobs`);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });
  it('a token signed with another secret', async () => {
    const forged = await new SignJWT({ tenant, projects: [project], roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' }).setSubject('mallory').setIssuer('pm-job-execution').setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-secret'));
    expect((await api(service.url, forged, 'GET', `${base}/execution/jobs`)).status).toBe(401);
  });
  it('an expired token', async () => {
    const expired = await service.token(tenant, [project], 'owner', ['operator'], -10);
    const res = await api(service.url, expired, 'GET', `${base}/execution/jobs`);
    expect(res.status).toBe(401);
    expect(res.body.message).toContain('expired');
  });
  it('garbage', async () => {
    expect((await api(service.url, 'not.a.jwt', 'GET', `${base}/execution/jobs`)).status).toBe(401);
  });
});

describe('the token command', () => {
  it('prints a token the service accepts, and refuses bad arguments', async () => {
    const cli = path.resolve('dist/libs/auth/src/cli/print-token.js');
    const env = { ...process.env, JWT_SECRET: TEST_JWT_SECRET };
    const printed = execFileSync(process.execPath, [cli, '--tenant', tenant, '--project', project, '--sub', 'cli-user'], { env }).toString().trim();
    const listed = await api(service.url, printed, 'GET', `${base}/execution/jobs`);
    expect(listed.status).toBe(200);
    const submitted = await api(service.url, printed, 'POST', `${base}/execution/job`, validJob());
    expect(submitted.body.submittedBy).toBe('cli-user');
    expect(() => execFileSync(process.execPath, [cli, '--tenant', 'nope', '--project', project, '--sub', 'x'], { env, stdio: 'pipe' })).toThrow();
  });
});

describe('tenancy (404, never data)', () => {
  it("another tenant's token sees nothing of this tenant", async () => {
    const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, validJob());
    expect(submitted.status).toBe(201);
    const jobId = submitted.body.jobId;
    const other = await service.token(randomUUID(), ['*'], 'other-tenant');
    for (const [method, p] of [
      ['GET', `${base}/execution/job/${jobId}`], ['GET', `${base}/execution/jobs`], ['GET', `${base}/execution/job/${jobId}/results`],
      ['DELETE', `${base}/execution/job/${jobId}`], ['POST', `${base}/execution/job/${jobId}/retry`],
      ['GET', `${base}/datasets/${datasetId}`], ['GET', `/api/${tenant}/execution/system/status`],
    ] as const) {
      const res = await api(service.url, other, method, p, method === 'GET' ? undefined : {});
      expect([method, p, res.status]).toEqual([method, p, 404]);
      expect(JSON.stringify(res.body)).not.toContain(jobId);
    }
    // The job is untouched.
    expect((await api(service.url, token, 'GET', `${base}/execution/job/${jobId}`)).body.status).toBe('Queued');
  });

  it("a token for another project of the same tenant gets 404, and the job id alone does not cross projects", async () => {
    const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, validJob());
    const otherProject = randomUUID();
    const sameTenant = await service.token(tenant, [otherProject], 'neighbour');
    expect((await api(service.url, sameTenant, 'GET', `${base}/execution/job/${submitted.body.jobId}`)).status).toBe(404);
    expect((await api(service.url, sameTenant, 'GET', `/api/${tenant}/${otherProject}/execution/job/${submitted.body.jobId}`)).status).toBe(404);
    const list = await api(service.url, sameTenant, 'GET', `/api/${tenant}/${otherProject}/execution/jobs`);
    expect(list.status).toBe(200);
    expect(list.body.summary.totalJobs).toBe(0);
  });

  it('a viewer may read but not write (403)', async () => {
    const viewer = await service.token(tenant, [project], 'viewer', ['viewer']);
    expect((await api(service.url, viewer, 'GET', `${base}/execution/jobs`)).status).toBe(200);
    expect((await api(service.url, viewer, 'POST', `${base}/execution/job`, validJob())).status).toBe(403);
  });
});

describe('validation (400 naming each field)', () => {
  const cases: [string, (job: Record<string, any>) => unknown, string[]][] = [
    ['unknown jobType', (j) => ({ ...j, jobType: 'Mining' }), ['jobType']],
    ['unknown priority', (j) => ({ ...j, priority: 'Urgent' }), ['priority']],
    ['missing jobName', ({ jobName: _n, ...j }) => j, ['jobName']],
    ['missing jobType and parameters', ({ jobType: _t, parameters: _p, ...j }) => j, ['jobType', 'parameters']],
    ['wrong type of jobName', (j) => ({ ...j, jobName: 42 }), ['jobName']],
    ['timeoutMinutes not a number', (j) => ({ ...j, scheduling: { timeoutMinutes: 'soon' } }), ['scheduling.timeoutMinutes']],
    ['timeoutMinutes zero', (j) => ({ ...j, scheduling: { timeoutMinutes: 0 } }), ['scheduling.timeoutMinutes']],
    ['scheduledTime not a date', (j) => ({ ...j, scheduling: { scheduledTime: 'tomorrow' } }), ['scheduling.scheduledTime']],
    ['bad email', (j) => ({ ...j, notifications: { emailRecipients: ['not-an-email'] } }), ['notifications.emailRecipients']],
    ['resource without id', (j) => ({ ...j, resource: { resourceType: 'Pipeline' } }), ['resource.resourceId']],
    ['unknown top-level field', (j) => ({ ...j, colour: 'blue' }), ['colour']],
    ['unknown parameter', (j) => ({ ...j, parameters: { ...j.parameters, bogus: 1 } }), ['parameters.bogus']],
    ['analysisType the job type lacks', (j) => ({ ...j, parameters: { ...j.parameters, analysisType: 'comprehensive' } }), ['parameters.analysisType']],
    ['unknown eventClassifier', (j) => ({ ...j, parameters: { ...j.parameters, eventClassifier: 'concept:name' } }), ['parameters.eventClassifier']],
    ['missing datasetId', (j) => ({ ...j, parameters: { analysisType: 'statistics' } }), ['parameters.datasetId']],
  ];
  it.each(cases)('%s', async (_name, mutate, expected) => {
    const res = await api(service.url, token, 'POST', `${base}/execution/job`, mutate(validJob()));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(fields(res.body)).toEqual(expect.arrayContaining(expected));
  });

  it('malformed JSON', async () => {
    const res = await api(service.url, token, 'POST', `${base}/execution/job`, '{"jobName":', { 'Content-Type': 'application/json' });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['body']);
  });

  it.each([
    ['status=Paused', ['status']], ['jobType=Other', ['jobType']], ['priority=Top', ['priority']], ['pageSize=101', ['pageSize']],
    ['pageSize=0', ['pageSize']], ['page=0', ['page']], ['page=two', ['page']], ['dateFrom=yesterday', ['dateFrom']],
    ['dateTo=2024-13-45', ['dateTo']], ['sort=asc', ['sort']],
  ])('list jobs with %s', async (query, expected) => {
    const res = await api(service.url, token, 'GET', `${base}/execution/jobs?${query}`);
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(expected);
  });

  it.each([
    ['format=pdf', ['format']], ['includeArtifacts=maybe', ['includeArtifacts']], ['outputType=images', ['outputType']],
  ])('results with %s', async (query, expected) => {
    const res = await api(service.url, token, 'GET', `${base}/execution/job/${randomUUID()}/results?${query}`);
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(expected);
  });

  it.each([
    ['a corrupt gzip', 'application/gzip', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02])],
    ['malformed XES', 'application/xml', Buffer.from('<log><trace><event></log>')],
  ])('uploading %s is a 400 naming the file', async (_name, type, bytes) => {
    const res = await api(service.url, token, 'POST', `${base}/datasets`, bytes, { 'Content-Type': type });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['file']);
  });

  it('an upload with an unsupported content type', async () => {
    const res = await api(service.url, token, 'POST', `${base}/datasets`, '{}', { 'Content-Type': 'application/json' });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['body']);
  });

  it('non-GUID ids in the path', async () => {
    const res = await api(service.url, token, 'GET', `/api/${tenant}/not-a-guid/execution/job/also-bad`);
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['projectId', 'jobId']);
  });

  it('cancel body with wrong types', async () => {
    const res = await api(service.url, token, 'DELETE', `${base}/execution/job/${randomUUID()}`, { forceTermination: 'yes' });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['forceTermination']);
  });

  it('retry body with wrong priority and timeout', async () => {
    const res = await api(service.url, token, 'POST', `${base}/execution/job/${randomUUID()}/retry`, { priority: 'Asap' });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['priority']);
  });
});

describe('OpenAPI', () => {
  it('serves the document with every endpoint and its schemas', async () => {
    const res = await api(service.url, null, 'GET', '/docs-json');
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths);
    for (const p of [
      '/api/{tenantId}/{projectId}/execution/job', '/api/{tenantId}/{projectId}/execution/job/{jobId}',
      '/api/{tenantId}/{projectId}/execution/jobs', '/api/{tenantId}/{projectId}/execution/job/{jobId}/results',
      '/api/{tenantId}/{projectId}/execution/job/{jobId}/retry', '/api/{tenantId}/execution/system/status',
      '/api/{tenantId}/{projectId}/execution/queue', '/api/{tenantId}/{projectId}/execution/job/{jobId}/hold',
      '/api/{tenantId}/{projectId}/execution/job/{jobId}/release',
    ]) expect(paths).toContain(p);
    for (const schema of ['SubmitJobRequestDto', 'SubmitJobResponseDto', 'JobStatusDto', 'JobListDto', 'JobResultsDto', 'SystemStatusDto', 'ApiErrorDto',
      'QueueViewDto', 'ChangeJobPriorityRequestDto', 'ChangeQueueStatusRequestDto', 'QueuedJobCommandResponseDto']) {
      expect(Object.keys(res.body.components.schemas)).toContain(schema);
    }
    expect((await fetch(`${service.url}/docs`)).status).toBe(200);
  });
});
