/**
 * A real HTTP server on 127.0.0.1 that records every webhook POST it receives and answers
 * as told: by default 204, or per request from `answer` (status, optional body, or a
 * request left unanswered to make the sender time out).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly receivedAt: number;
}

export type WebhookAnswer = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

export interface WebhookReceiver {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** Requests to `path` (and the JSON they carried). */
  to(path: string): (ReceivedWebhook & { json: { type: string; timestamp: string; data: Record<string, unknown> } })[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(answer: (request: ReceivedWebhook, nth: number) => WebhookAnswer = () => ({ status: 204 })): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: ReceivedWebhook = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() };
      received.push(request);
      const reply = answer(request, received.filter((r) => r.path === request.path).length);
      if (reply === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    to: (path) => received.filter((r) => r.path === path).map((r) => ({ ...r, json: JSON.parse(r.body) })),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
