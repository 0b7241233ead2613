/**
 * Prints the API's OpenAPI document (the one served at /docs-json) without opening any store:
 *   node dist/apps/cli/src/openapi.js [file]
 * The app is built in Nest's preview mode, which reads the controllers' decorators but
 * constructs no controller or provider, so the runtime handed to the module is never used.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, type ApiRuntime } from '../../api/src/app.module.js';
import { buildOpenApiDocument } from '../../api/src/http/openapi-document.js';

/** Stands in for every runtime value; `schedules` is set so the schedule routes are documented too. */
function documentationRuntime(): ApiRuntime {
  const unused = {} as never;
  return {
    config: unused, projection: unused, repository: unused, signingSecret: unused, notifications: unused,
    datasetImporter: unused, telemetry: unused, projectionRebuilds: unused,
    stores: { schedules: unused } as unknown as ApiRuntime['stores'],
  };
}

const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(documentationRuntime()), new FastifyAdapter(), {
  preview: true, logger: false, abortOnError: false,
});
const json = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
await app.close();
const [file] = process.argv.slice(2);
if (file) writeFileSync(file, json);
else process.stdout.write(json);
