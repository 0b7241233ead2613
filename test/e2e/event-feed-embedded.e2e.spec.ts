/**
 * The event feed on the embedded store (PGlite), over real HTTP with a real job run: a
 * client watches a job from submission to its end without polling, the project's feed and
 * its NDJSON page agree, and SIGTERM with streams open stops the service promptly.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { openEventStream } from '../support/event-feed-client.js';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';

describe('event feed (embedded store)', () => {
  let service: ServiceProcess | undefined;

  afterAll(async () => {
    await service?.stop('SIGKILL');
    if (service) removeDataDir(service.dataDir);
  });

  it('follows a job to its end, agrees with the NDJSON page, and lets SIGTERM stop the service with streams open', async () => {
    service = await startServiceProcess({ EMBEDDED_WORKER_CAPACITY: '1', EVENT_FEED_HEARTBEAT_SECONDS: '0.2' });
    const tenant = randomUUID();
    const project = randomUUID();
    const base = `/api/${tenant}/${project}`;
    const token = await service.token(tenant, [project]);
    const datasetId = await uploadDataset(service, token, base);
    const projectFeed = await openEventStream(`${service.url}${base}/execution/events`, token);

    const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, {
      jobName: 'watched', jobType: 'Analysis', priority: 'Normal', parameters: { datasetId, analysisType: 'variants' },
    });
    expect(submitted.status).toBe(201);
    const jobId = submitted.body.jobId as string;
    const jobFeed = await openEventStream(`${service.url}${base}/execution/job/${jobId}/events`, token);
    await jobFeed.ended; // ends by itself after the job's last event
    const types = jobFeed.events.map((e) => JSON.parse(e.data).type);
    expect(types[0]).toBe('JobSubmitted');
    expect(types).toContain('JobStarted');
    expect(types.at(-1)).toBe('JobCompleted');

    await waitFor(() => projectFeed.events.some((e) => JSON.parse(e.data).type === 'JobCompleted'), 10_000, 20, 'the project feed to show the end');
    const page = await fetch(`${service.url}${base}/execution/events`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/x-ndjson' } });
    const lines = (await page.text()).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
    expect(lines.map((e) => e.position)).toEqual(projectFeed.events.map((e) => e.id));
    expect(page.headers.get('x-end-reached')).toBe('true');
    // Heartbeats come every 0.2 s whether events flow or not (the job may have taken less).
    await waitFor(() => projectFeed.comments.includes('heartbeat'), 5_000, 20, 'a heartbeat on the project feed');

    const stoppingAt = Date.now();
    await service.stop('SIGTERM');
    await projectFeed.ended;
    expect(Date.now() - stoppingAt).toBeLessThan(4_000); // under the 5 s HTTP shutdown grace: the feed ended its streams itself
    expect(service.process.exitCode).toBe(0);
  }, 120_000);
});
