/** A standalone worker's own `/metrics`, `/health/live` and `/health/ready`, on METRICS_PORT (a worker has no API listener). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceMetrics } from './service-metrics.js';

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

export function isAuthorisedScrape(authorization: string | undefined, metricsToken: string | null): boolean {
  return metricsToken === null || authorization === `Bearer ${metricsToken}`;
}

/** What `/health/ready` answers: ready, or the reasons it is not (then 503). */
export interface Readiness {
  readonly ready: boolean;
  readonly body: Record<string, unknown>;
}

export async function startMetricsServer(
  metrics: ServiceMetrics, port: number, host: string, metricsToken: string | null, readiness?: () => Promise<Readiness>,
): Promise<MetricsServer> {
  const server = http.createServer((request, response) => {
    const url = (request.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => response.writeHead(status, { 'Content-Type': type }).end(body);
    if (request.method !== 'GET') return send(405, 'application/json', JSON.stringify({ statusCode: 405, error: 'Method Not Allowed', message: 'Only GET is served here' }));
    if (url === '/health/live') return send(200, 'application/json', JSON.stringify({ status: 'live' }));
    if (url === '/health/ready' && readiness) {
      readiness().then(
        (answer) => send(answer.ready ? 200 : 503, 'application/json', JSON.stringify(answer.body)),
        (error: unknown) => send(503, 'application/json', JSON.stringify({ status: 'unavailable', reasons: [String(error)] })),
      );
      return;
    }
    if (url !== '/metrics') return send(404, 'application/json', JSON.stringify({ statusCode: 404, error: 'Not Found', message: `Cannot GET ${url}` }));
    if (!isAuthorisedScrape(request.headers.authorization, metricsToken)) {
      return send(401, 'application/json', JSON.stringify({
        statusCode: 401, error: 'Unauthorized', message: 'METRICS_TOKEN is set: send it as a Bearer token', errors: [{ field: 'Authorization', message: 'missing or wrong metrics token' }],
      }));
    }
    metrics.render().then((text) => send(200, metrics.contentType, text), (error: unknown) => send(500, 'text/plain', String(error)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
