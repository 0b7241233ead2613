/**
 * The admin endpoints of projection rebuilds and the projections in the system status,
 * over HTTP against the real server process (embedded store): admin role only (403
 * otherwise), an unknown name is a 404 naming the known ones, a second rebuild while one
 * runs is a 409, and a rebuild switches to a fresh copy while the API keeps its documents.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';

const tenant = randomUUID();
const project = randomUUID();
const base = `/api/${tenant}/${project}`;

describe('projection rebuilds over HTTP', () => {
  let service: ServiceProcess;
  let operator: string;
  let admin: string;
  let viewer: string;
  let datasetId: string;

  beforeAll(async () => {
    service = await startServiceProcess({ EMBEDDED_WORKER_CAPACITY: '0', NODE_ID: 'rebuild-e2e-node', REBUILD_BATCH_SIZE: '2' });
    [operator, admin, viewer] = await Promise.all([
      service.token(tenant, [project], 'olga'), service.token(tenant, [project], 'ada', ['admin']), service.token(tenant, [project], 'vic', ['viewer']),
    ]);
    datasetId = await uploadDataset(service, operator, base);
    const later = new Date(Date.now() + 3600_000).toISOString();
    for (let i = 0; i < 12; i++) {
      const res = await api(service.url, operator, 'POST', `${base}/execution/job`, {
        jobName: `kept ${i}`, jobType: 'Analysis', parameters: { datasetId, analysisType: 'statistics' }, scheduling: { scheduledTime: later },
      });
      expect(res.status).toBe(201);
    }
  }, 90_000);
  afterAll(async () => {
    await service?.stop();
    if (service) removeDataDir(service.dataDir);
  });

  it('answers 403 to anyone but an admin', async () => {
    for (const token of [operator, viewer]) {
      const rebuild = await api(service.url, token, 'POST', '/api/admin/projections/job_views/rebuild');
      expect(rebuild.status).toBe(403);
      expect(rebuild.body.message).toMatch(/role is required/);
      expect((await api(service.url, token, 'GET', '/api/admin/projections')).status).toBe(403);
    }
    expect((await api(service.url, null, 'GET', '/api/admin/projections')).status).toBe(401);
  });

  it('answers 404 naming the known projections for an unknown name', async () => {
    const res = await api(service.url, admin, 'POST', '/api/admin/projections/no_such_view/rebuild');
    expect(res.status).toBe(404);
    expect(res.body.errors).toEqual([{ field: 'name', message: expect.stringContaining('known: job_views') }]);
  });

  it('rebuilds into a fresh copy (202), refuses a second one meanwhile (409), and the documents stay the same', async () => {
    const before = (await api(service.url, operator, 'GET', `${base}/execution/jobs?pageSize=100`)).body;
    expect(before.summary.totalJobs).toBe(12);
    const [first, second] = await Promise.all([
      api(service.url, admin, 'POST', '/api/admin/projections/job_views/rebuild'),
      api(service.url, admin, 'POST', '/api/admin/projections/job_views/rebuild'),
    ]);
    expect([first.status, second.status].sort()).toEqual([202, 409]);
    const accepted = first.status === 202 ? first : second;
    const refused = first.status === 202 ? second : first;
    expect(accepted.body).toMatchObject({ projection: 'job_views', phase: 'copying', finishedAt: null, error: null });
    expect(refused.body.errors[0]).toMatchObject({ field: 'name', message: expect.stringContaining('already running') });

    const done = await waitFor(async () => {
      const list = await api(service.url, admin, 'GET', '/api/admin/projections');
      return list.body.lastRebuild?.phase === 'switched' ? list.body : null;
    }, 30_000, 100, 'the rebuild to switch');
    expect(done.lastRebuild.eventsFolded).toBeGreaterThanOrEqual(12);
    const [status] = done.projections;
    expect(status).toMatchObject({ name: 'job_views', leader: 'rebuild-e2e-node', rebuilding: null });
    expect(status.checkpoint).toMatch(/^\d+\/\d+$/);
    expect(typeof status.lagEvents).toBe('number');
    expect(typeof status.lagSeconds).toBe('number');
    expect((await api(service.url, operator, 'GET', `${base}/execution/jobs?pageSize=100`)).body).toEqual(before);
    // Writers keep working on the new tables.
    const after = await api(service.url, operator, 'POST', `${base}/execution/job`, {
      jobName: 'after the switch', jobType: 'Analysis', parameters: { datasetId, analysisType: 'statistics' },
      scheduling: { scheduledTime: new Date(Date.now() + 3600_000).toISOString() },
    });
    expect(after.status).toBe(201);
    expect((await api(service.url, operator, 'GET', `${base}/execution/job/${after.body.jobId}`)).status).toBe(200);
  });

  it('shows the projections in the system status beside every field it had', async () => {
    const res = await api(service.url, viewer, 'GET', `/api/${tenant}/execution/system/status`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(expect.arrayContaining([
      'systemStatus', 'timestamp', 'executionNodes', 'queueStatistics', 'performanceMetrics', 'resourceUtilization', 'projections',
    ]));
    expect(res.body.projections).toEqual([expect.objectContaining({
      name: 'job_views', checkpoint: expect.stringMatching(/^\d+\/\d+$/), leader: 'rebuild-e2e-node', rebuilding: null,
    })]);
  });
});
