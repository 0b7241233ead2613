/**
 * Upload an event log: the raw body (text/csv, application/xml, application/gzip)
 * or multipart/form-data with a `file` field. The body streams to disk; it is never
 * held in memory whole, and it is read in a dataset import process, not in this one: a raw
 * body while it arrives (the import follows the file), a multipart one once it is stored.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  BadRequestException, Body, Controller, HttpCode, HttpException, Inject, Param, PayloadTooLargeException, Post, Query, Req, UseGuards,
} from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../../../libs/config/src/service-config.js';
import type { DatasetImporter } from '../../../../../libs/datasets/src/import/dataset-importer.js';
import { FileGrowth } from '../../../../../libs/datasets/src/import/growing-file.js';
import {
  FORMAT_HEAD_BYTES, describeRequestOf, registerDatasetFromFile, registerDescribedFile, type DatasetSource,
} from '../../../../../libs/datasets/src/register-dataset.js';
import {
  ColumnMappingError, EventLogTooLargeError, MalformedEventLogError, detectFormat,
} from '../../../../../libs/mining/src/ingest/index.js';
import { inspectJsonValue } from '../../../../../libs/storage/src/storable-text.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { STORES } from '../../execution/shared/execution.tokens.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { EVENT_LOG_BODY, bodyIdleTimeout, watchBodyIdle } from '../../http/request-limits.js';
import { flattenValidationErrors } from '../../http/validation.js';
import { DatasetDto, UploadDatasetRequestDto } from '../dataset.dto.js';
import { DATASET_IMPORTER } from '../datasets.tokens.js';
import { datasetView } from '../dataset-view.js';
import { inflatedSizeLimit } from './inflated-size-limit.js';

const FIELD_TO_PARAMETER: Record<string, string> = {
  caseId: 'caseColumn', activity: 'activityColumn', timestamp: 'timestampColumn', resource: 'resourceColumn',
  startTimestamp: 'startTimestampColumn', lifecycle: 'lifecycleColumn',
};

/** Body types taken as a raw event-log stream (registered with the HTTP platform in bootstrap). */
export const RAW_UPLOAD_CONTENT_TYPES = [
  'text/csv', 'text/plain', 'application/xml', 'text/xml', 'application/gzip', 'application/x-gzip', 'application/octet-stream',
];

interface ReceivedUpload {
  readonly filePath: string;
  readonly originalName: string;
  readonly fields: Record<string, string>;
}

@ApiTags('Datasets')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/datasets')
@UseGuards(TenantScopeGuard)
export class UploadDatasetController {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(DATASET_IMPORTER) private readonly importer: DatasetImporter,
  ) {}

  @Post()
  @HttpCode(201)
  @RouteConfig(EVENT_LOG_BODY)
  @ApiOperation({ summary: 'Upload an event log (CSV or XES, plain or gzipped)' })
  @ApiConsumes('text/csv', 'multipart/form-data', 'application/xml', 'application/gzip')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 201, type: DatasetDto })
  @ApiErrorResponses(400, 401, 403, 404, 413)
  async upload(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Query() query: UploadDatasetRequestDto,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ) {
    const tenant = tenantId.toLowerCase();
    const project = projectId.toLowerCase();
    const sourceOf = (filePath: string, originalName: string, options: UploadDatasetRequestDto): DatasetSource => ({
      tenantId: tenant, projectId: project, filePath, originalName, name: options.name ?? originalName,
      columns: {
        ...(options.caseColumn ? { caseId: options.caseColumn } : {}),
        ...(options.activityColumn ? { activity: options.activityColumn } : {}),
        ...(options.timestampColumn ? { timestamp: options.timestampColumn } : {}),
        ...(options.resourceColumn ? { resource: options.resourceColumn } : {}),
        ...(options.startTimestampColumn ? { startTimestamp: options.startTimestampColumn } : {}),
        ...(options.lifecycleColumn ? { lifecycle: options.lifecycleColumn } : {}),
      },
      createdBy: principal.subject, sourceJobId: null,
      limits: { maxDecompressedBytes: this.config.limits.maxDecompressedBytes, maxRecords: this.config.limits.maxDatasetEvents },
    });
    let filePath: string | null = null;
    try {
      if (request.isMultipart()) {
        const upload = await this.receiveMultipart(request);
        filePath = upload.filePath;
        // Multipart fields may carry the same options as the query string; they are validated alike.
        const source = sourceOf(upload.filePath, upload.originalName, validateOptions({ ...query, ...upload.fields }));
        return datasetView(await registerDatasetFromFile(this.stores.files, this.stores.datasets, source, (describe) => this.importer.describe(describe)));
      }
      const type = rawUploadType(request, body);
      const options = validateOptions({ ...query });
      const arrival = await this.startRawUpload(type, body as Readable, options.name);
      filePath = arrival.filePath;
      const source = sourceOf(arrival.filePath, arrival.originalName, options);
      // The import process reads the log while it arrives, not after: told of its growth and of its end.
      const dataset = await registerDescribedFile(this.stores.files, this.stores.datasets, source, async (ingestedLogPath) => {
        const format = detectFormat(source.originalName, await arrival.head);
        const describing = this.importer.describe(describeRequestOf(source, format, ingestedLogPath), arrival.growth);
        // It may fail (a CSV without the needed columns) while the body still arrives: heard below, not unhandled now.
        describing.catch(() => undefined);
        try {
          arrival.growth.finished(await arrival.done);
        } catch (error) {
          arrival.growth.abandoned(error instanceof Error ? error.message : String(error));
          await describing.catch(() => undefined);
          throw error;
        }
        return { format, description: await describing };
      });
      return datasetView(dataset);
    } catch (error) {
      if (filePath !== null) await rm(filePath, { force: true });
      if (error instanceof ColumnMappingError) {
        throw new BadRequestException({
          message: error.message,
          errors: error.missing.map((field) => ({
            field: FIELD_TO_PARAMETER[field] ?? field,
            message: `no ${field} column found; columns present: ${error.sourceColumns.join(', ')}`,
          })),
        });
      }
      if (error instanceof EventLogTooLargeError) {
        const variable = error.limit === 'records' ? 'MAX_DATASET_EVENTS' : 'MAX_DECOMPRESSED_MB';
        throw new PayloadTooLargeException(`Event log too large: ${error.message}; the service's ${variable} sets it`);
      }
      if (error instanceof MalformedEventLogError) {
        throw new BadRequestException({ message: error.message, errors: [{ field: 'file', message: error.message }] });
      }
      throw error;
    }
  }

  private async uploadPath(): Promise<string> {
    const dir = path.join(this.config.filesDir, 'uploads');
    await mkdir(dir, { recursive: true });
    return path.join(dir, randomUUID());
  }

  private async receiveMultipart(request: FastifyRequest): Promise<ReceivedUpload> {
    const idleMs = this.config.limits.bodyIdleTimeoutMs;
    let idle = false;
    let filePath: string | null = null;
    const received = request.file({ limits: { fileSize: this.config.maxUploadBytes, files: 1 } });
    // The multipart reader pipes the raw request (started just above), so the body can be watched from here.
    // On idle the reader is failed through the request's 'error' (it unpipes and fails the file part), so the
    // client still gets a 408 before the connection is closed.
    const stopWatching = watchBodyIdle(request.raw, idleMs, () => {
      idle = true;
      request.raw.emit('error', bodyIdleTimeout(idleMs));
    });
    try {
      const part = await received;
      if (!part) throw new BadRequestException({ message: 'No file in the upload', errors: [{ field: 'file', message: 'multipart field "file" is required' }] });
      if (part.fieldname !== 'file') {
        part.file.resume();
        throw new BadRequestException({ message: 'Unexpected upload field', errors: [{ field: part.fieldname, message: 'the event log goes in the field "file"' }] });
      }
      filePath = await this.uploadPath();
      await pipeline(part.file, inflatedSizeLimit(this.config.limits.maxDecompressedBytes), createWriteStream(filePath));
      if (part.file.truncated) throw new PayloadTooLargeException('Upload too large');
      const fields: Record<string, string> = {};
      for (const [name, field] of Object.entries(part.fields)) {
        const value = Array.isArray(field) ? field[0] : field;
        if (value && value.type === 'field' && name !== 'file') fields[name] = String(value.value);
      }
      const originalName = part.filename || 'upload';
      const unstorable = inspectJsonValue({ ...fields, filename: originalName });
      if (unstorable.length > 0) throw new BadRequestException({ message: 'Invalid upload fields', errors: unstorable });
      return { filePath, originalName, fields };
    } catch (error) {
      if (filePath) await rm(filePath, { force: true });
      if (idle) throw bodyIdleTimeout(idleMs);
      if (error instanceof HttpException) throw error;
      if ((error as { statusCode?: number }).statusCode === 413) throw new PayloadTooLargeException('Upload too large');
      // Busboy's complaints (no boundary, a body cut short) are about the request, not about us.
      const message = `not a readable multipart/form-data body: ${error instanceof Error ? error.message : String(error)}`;
      throw new BadRequestException({ message, errors: [{ field: 'file', message }] });
    } finally {
      stopWatching();
    }
  }

  /**
   * Starts storing a raw upload: `head` is its first bytes (to tell the format), `done` its
   * length once it is all on disk (or the reason it was refused), `growth` tells a reader
   * following the file as it arrives.
   */
  private async startRawUpload(type: string, body: Readable, name: string | undefined): Promise<RawArrival> {
    const filePath = await this.uploadPath();
    // The file exists before a reader may open it.
    await writeFile(filePath, '');
    let received = 0;
    const limit = this.config.maxUploadBytes;
    body.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) body.destroy(new PayloadTooLargeException('Upload too large'));
    });
    const growth = new FileGrowth();
    const headChunks: Buffer[] = [];
    let headBytes = 0;
    let headKnown: ((head: Buffer) => void) | null = null;
    const head = new Promise<Buffer>((resolve) => (headKnown = resolve));
    const tellHead = (): void => {
      headKnown?.(Buffer.concat(headChunks));
      headKnown = null;
    };
    let written = 0;
    let toldAt = 0;
    const watchArrival = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        if (headKnown !== null) {
          headChunks.push(chunk);
          headBytes += chunk.length;
          if (headBytes >= FORMAT_HEAD_BYTES) tellHead();
        }
        if (written - toldAt >= GROWTH_NOTICE_BYTES) {
          toldAt = written;
          growth.grew();
        }
        callback(null, chunk);
      },
    });
    const done = pipeline(body, inflatedSizeLimit(this.config.limits.maxDecompressedBytes), watchArrival, createWriteStream(filePath)).then(() => {
      if (received === 0) throw new BadRequestException({ message: 'Empty upload', errors: [{ field: 'body', message: 'the event log is empty' }] });
      return written;
    });
    done.then(tellHead, () => undefined);
    const originalName = name ?? (type.includes('csv') || type === 'text/plain' ? 'upload.csv' : 'upload.xes');
    // Until the head is known a refusal is the answer; after it, `done` carries it.
    return { filePath, originalName, growth, done, head: Promise.race([head, done.then(() => head)]) };
  }
}

/** An upload being stored; see UploadDatasetController.startRawUpload. */
interface RawArrival {
  readonly filePath: string;
  readonly originalName: string;
  readonly head: Promise<Buffer>;
  readonly done: Promise<number>;
  readonly growth: FileGrowth;
}

/** An import following an upload hears of its growth once per this many bytes (and of its end). */
const GROWTH_NOTICE_BYTES = 1 << 20;

/** The media type of a raw upload, refused unless it is one taken as an event log stream. */
function rawUploadType(request: FastifyRequest, body: unknown): string {
  const type = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!RAW_UPLOAD_CONTENT_TYPES.includes(type) || !isReadable(body)) {
    throw new BadRequestException({
      message: 'Send the event log as text/csv, application/xml, application/gzip or multipart/form-data (field "file")',
      errors: [{ field: 'body', message: `unsupported content type "${type}"` }],
    });
  }
  return type;
}

function isReadable(value: unknown): value is Readable {
  return typeof (value as Readable | null)?.pipe === 'function';
}

function validateOptions(raw: Record<string, unknown>): UploadDatasetRequestDto {
  const options = plainToInstance(UploadDatasetRequestDto, raw);
  const errors = validateSync(options, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new BadRequestException({ message: 'Validation failed', errors: flattenValidationErrors(errors) });
  return options;
}
