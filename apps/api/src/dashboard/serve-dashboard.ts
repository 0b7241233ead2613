/**
 * Serves the built web dashboard (packages/dashboard, bundled by `npm run build` into
 * dist/dashboard) at /dashboard/: its own files only, nothing from elsewhere at run time.
 * The API sets no Content-Security-Policy of its own; the dashboard's pages get a strict one
 * (scripts from this service only; styles also inline, for the job report shown in its
 * sandboxed frame). Hashed assets are cached for good, index.html never (ADR 0024).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const DASHBOARD_PATH = '/dashboard/';
/** dist/apps/api/src/dashboard/ → dist/dashboard/ */
const BUILT_DASHBOARD = fileURLToPath(new URL('../../../../dashboard/', import.meta.url));

export const DASHBOARD_CONTENT_SECURITY_POLICY = [
  "default-src 'none'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' blob: data:",
  "connect-src 'self'", "font-src 'self'", "frame-src 'self' blob:", "base-uri 'none'", "form-action 'self'",
  "frame-ancestors 'none'", "object-src 'none'",
].join('; ');

export async function serveDashboard(fastify: FastifyInstance, root = BUILT_DASHBOARD): Promise<void> {
  if (!existsSync(root)) {
    fastify.get('/dashboard/*', async (_request, reply) => reply.code(503).send({
      statusCode: 503, error: 'Service Unavailable', message: 'The dashboard is not built: run `npm run build`',
    }));
    return;
  }
  await fastify.register(fastifyStatic, {
    root,
    prefix: DASHBOARD_PATH,
    // The Swagger UI registers the plugin too; one reply decorator is enough.
    decorateReply: false,
    cacheControl: false,
    setHeaders(reply, filePath) {
      reply.header('Content-Security-Policy', DASHBOARD_CONTENT_SECURITY_POLICY);
      reply.header('X-Content-Type-Options', 'nosniff');
      reply.header('Referrer-Policy', 'no-referrer');
      reply.header('Cache-Control', filePath.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  fastify.get('/dashboard', (_request, reply) => reply.redirect(DASHBOARD_PATH, 301));
}
