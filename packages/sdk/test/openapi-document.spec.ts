/**
 * The committed OpenAPI document and SDK types: regenerated from the built app they must be
 * what is committed, and the document types what clients need (no `Record<string, never>`).
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JOB_EVENT_TYPES } from '../../../libs/job-domain/src/index.js';

const DOCUMENT_FILE = path.resolve('packages/sdk/openapi.json');
const GENERATE = path.resolve('packages/sdk/scripts/generate.mjs');
const document = JSON.parse(readFileSync(DOCUMENT_FILE, 'utf8'));
const schemas: Record<string, any> = document.components.schemas;

function generate(...args: string[]) {
  return spawnSync(process.execPath, [GENERATE, '--check', ...args], { encoding: 'utf8' });
}

const COMPOSED = ['$ref', 'allOf', 'oneOf', 'anyOf'] as const;

/**
 * Schemas openapi-typescript would type as Record<string, never> or unknown: an object naming no
 * property and no additionalProperties, or a property without any type (what @nestjs/swagger writes
 * for a `string | null` field whose decorator names no type).
 */
function untyped(node: unknown, at: string, found: string[] = [], isProperty = false): string[] {
  if (Array.isArray(node)) node.forEach((item, i) => untyped(item, `${at}[${i}]`, found));
  else if (typeof node === 'object' && node !== null) {
    const schema = node as Record<string, unknown>;
    const composed = COMPOSED.some((key) => schema[key] !== undefined);
    if (schema['type'] === 'object' && schema['properties'] === undefined && schema['additionalProperties'] === undefined && !composed) found.push(at);
    if (isProperty && schema['type'] === undefined && !composed) found.push(at);
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'example' || key === 'examples') continue;
      if (key === 'properties' && typeof value === 'object' && value !== null) {
        for (const [name, property] of Object.entries(value)) untyped(property, `${at}.properties.${name}`, found, true);
      } else untyped(value, `${at}.${key}`, found);
    }
  }
  return found;
}

describe('the OpenAPI document and the SDK types', () => {
  it('are what the built app generates now', () => {
    const run = generate();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('drift is caught: a changed document fails the check, naming the files', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sdk-drift-'));
    try {
      const changed = structuredClone(document);
      changed.components.schemas.JobStatusDto.properties.jobName.description = 'changed';
      writeFileSync(path.join(dir, 'openapi.json'), `${JSON.stringify(changed, null, 2)}\n`);
      const run = generate('--document', path.join(dir, 'openapi.json'));
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('packages/sdk/openapi.json');
      expect(run.stderr).toContain('packages/sdk/src/api-types.ts');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has no schema that types as Record<string, never>', () => {
    expect(untyped(document.components, 'components')).toEqual([]);
    expect(untyped(document.paths, 'paths')).toEqual([]);
  });

  it('types the places clients read and write', () => {
    expect(schemas['JobSchedulingDto'].properties.scheduledTime).toMatchObject({ type: 'string', format: 'date-time', nullable: true });
    for (const [property, target] of [['scheduling', 'JobSchedulingViewDto'], ['notifications', 'JobNotificationsViewDto'], ['parameters', 'JobParametersDto']]) {
      expect(schemas['JobStatusDto'].properties[property]).toEqual({ $ref: `#/components/schemas/${target}` });
    }
    expect(schemas['JobStatusDto'].properties.cancellation).toMatchObject({ nullable: true, allOf: [{ $ref: '#/components/schemas/JobCancellationViewDto' }] });
    expect(schemas['SubmitJobRequestDto'].properties.parameters).toMatchObject({ allOf: [{ $ref: '#/components/schemas/JobParametersDto' }] });
    const figures = schemas['JobResultsDto'].properties.figures;
    expect(figures.additionalProperties).toBe(true);
    expect(Object.keys(figures.properties)).toEqual(expect.arrayContaining(['summary', 'variants', 'performance', 'dfg', 'conformance', 'processModel', 'enrichment', 'cells']));
    const events = schemas['JobHistoryDto'].properties.events.items;
    expect(events.discriminator.propertyName).toBe('type');
    expect(Object.keys(events.discriminator.mapping)).toEqual(JOB_EVENT_TYPES);
    for (const type of JOB_EVENT_TYPES) {
      const event = schemas[`${type}EventDto`];
      expect(event.properties.type).toEqual({ type: 'string', enum: [type] });
      expect(event.properties.data).toEqual({ $ref: `#/components/schemas/${type}DataDto` });
      expect(event.properties.metadata).toEqual({ $ref: '#/components/schemas/EventMetadataDto' });
    }
    expect(schemas['DatasetDto'].properties.warnings.items).toEqual({ $ref: '#/components/schemas/CountedIssueDto' });
  });

  it('declares file downloads as binary, health as open, and its servers and licence', () => {
    const download = document.paths['/api/{tenantId}/{projectId}/execution/job/{jobId}/artifacts/{artifactId}'].get.responses['200'].content;
    expect(Object.keys(download)).toEqual(expect.arrayContaining(['text/html', 'image/svg+xml', 'text/csv', 'application/json', 'application/xml']));
    for (const media of Object.values(download)) expect(media).toEqual({ schema: { type: 'string', format: 'binary' } });
    expect(document.paths['/health'].get.security).toEqual([]);
    expect(document.security).toEqual([{ bearer: [] }]);
    const operations = Object.values(document.paths).flatMap((item: any) => Object.values(item)) as Array<{ tags?: string[]; security?: unknown[] }>;
    for (const operation of operations.filter((o) => !o.tags?.includes('Health'))) expect(operation.security ?? document.security).toEqual([{ bearer: [] }]);
    expect(document.servers.map((s: { url: string }) => s.url)).toEqual(['/', 'http://localhost:3000']);
    expect(document.info.license).toEqual({ name: 'UNLICENSED' });
  });
});
