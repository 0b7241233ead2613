/**
 * The service's OpenAPI document, built from the controllers' decorators: served at /docs and
 * /docs-json, and exported without stores by apps/cli/src/openapi.ts for the TypeScript SDK.
 */
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { addJobHistoryEventSchemas } from '../execution/shared/job-history-events.schema.js';

/** Operations of these tags need no token: `security: []` overrides the document's bearer default. */
const OPEN_TAGS = new Set(['Health']);
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;
/** The project declares no open-source licence; the document says so rather than leaving it unsaid. */
export const API_LICENCE = 'UNLICENSED';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Job Execution API')
    .setDescription('Queue, schedule, run, track, cancel and retry process-mining jobs. Every job\'s history is kept as events.')
    .setVersion('1.0')
    .addServer('/', 'The server that serves this document')
    .addServer('http://localhost:3000', 'A local service started with npm start')
    .addBearerAuth()
    .addSecurityRequirements('bearer')
    .build());
  document.info.license = { name: API_LICENCE };
  addJobHistoryEventSchemas(document);
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation?.tags?.some((tag) => OPEN_TAGS.has(tag))) operation.security = [];
    }
  }
  return document;
}
