/** Correlation of a request with the events it causes. */
import { randomUUID } from 'node:crypto';
import type { FastifyRequest as Request } from 'fastify';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import type { CommandMetadata } from '../../../../../libs/job-domain/src/index.js';

/** The correlation id is the client's X-Correlation-Id when it sends one, else the request id (X-Request-Id, echoed). */
export function commandMetadata(request: Request, principal: Principal): CommandMetadata {
  const header = request.headers['x-correlation-id'];
  const correlationId = typeof header === 'string' && header.length > 0 && header.length <= 200 ? header : request.id;
  return { actor: principal.subject, correlationId, causationId: randomUUID() };
}

/** Absolute base URL for download links: PUBLIC_BASE_URL, else what the client called. */
export function publicBaseUrl(request: Request): string {
  const configured = process.env.PUBLIC_BASE_URL;
  if (configured) return configured.replace(/\/+$/, '');
  return `${request.protocol}://${request.host || 'localhost'}`;
}
