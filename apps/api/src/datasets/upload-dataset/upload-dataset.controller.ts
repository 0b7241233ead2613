/**
 * Upload an event log: the raw body (text/csv, application/xml, application/gzip)
 * or multipart/form-data with a `file` field. The body streams to disk; it is never
 * held in memory whole.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  BadRequestException, Body, Controller, HttpCode, Inject, Param, PayloadTooLargeException, Post, Query, Req, UploadedFile,
  UseGuards, UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import multer from 'multer';
import { CurrentPrincipal, TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../../../libs/config/src/service-config.js';
import { registerDatasetFromFile } from '../../../../../libs/datasets/src/register-dataset.js';
import { ColumnMappingError, MalformedEventLogError } from '../../../../../libs/mining/src/ingest/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { STORES } from '../../execution/shared/execution.tokens.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { DatasetDto, UploadDatasetRequestDto } from '../dataset.dto.js';
import { datasetView } from '../dataset-view.js';

const FIELD_TO_PARAMETER: Record<string, string> = {
  caseId: 'caseColumn', activity: 'activityColumn', timestamp: 'timestampColumn', resource: 'resourceColumn',
  startTimestamp: 'startTimestampColumn',
};
const uploadLimit = Number(process.env.MAX_UPLOAD_MB || 512) * 1024 * 1024;

@ApiTags('Datasets')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/datasets')
@UseGuards(TenantScopeGuard)
export class UploadDatasetController {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @UseInterceptors(FileInterceptor('file', {
    storage: multer.diskStorage({}),
    limits: { fileSize: uploadLimit, files: 1 },
  }))
  @ApiOperation({ summary: 'Upload an event log (CSV or XES, plain or gzipped)' })
  @ApiConsumes('text/csv', 'multipart/form-data', 'application/xml', 'application/gzip')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 201, type: DatasetDto })
  @ApiErrorResponses(400, 401, 403, 404, 413)
  async upload(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Query() query: UploadDatasetRequestDto,
    @Body() fields: UploadDatasetRequestDto,
    @UploadedFile() file: Express.Multer.File | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ) {
    const options = { ...query, ...(file ? fields : {}) };
    let filePath: string;
    let originalName: string;
    if (file) {
      filePath = file.path;
      originalName = file.originalname;
    } else {
      const type = request.headers['content-type'] ?? '';
      if (!/^(text\/csv|text\/plain|application\/(xml|gzip|x-gzip|octet-stream)|text\/xml)/i.test(type)) {
        throw new BadRequestException({
          message: 'Send the event log as text/csv, application/xml, application/gzip or multipart/form-data (field "file")',
          errors: [{ field: 'body', message: `unsupported content type "${type}"` }],
        });
      }
      filePath = await this.receiveRawBody(request);
      originalName = options.name ?? (type.includes('csv') || type.includes('text/plain') ? 'upload.csv' : 'upload.xes');
    }
    try {
      const dataset = await registerDatasetFromFile(this.stores.files, this.stores.datasets, {
        tenantId: tenantId.toLowerCase(), projectId: projectId.toLowerCase(), filePath, originalName,
        name: options.name ?? originalName,
        columns: {
          ...(options.caseColumn ? { caseId: options.caseColumn } : {}),
          ...(options.activityColumn ? { activity: options.activityColumn } : {}),
          ...(options.timestampColumn ? { timestamp: options.timestampColumn } : {}),
          ...(options.resourceColumn ? { resource: options.resourceColumn } : {}),
          ...(options.startTimestampColumn ? { startTimestamp: options.startTimestampColumn } : {}),
        },
        createdBy: principal.subject, sourceJobId: null,
      });
      return datasetView(dataset);
    } catch (error) {
      if (error instanceof ColumnMappingError) {
        throw new BadRequestException({
          message: error.message,
          errors: error.missing.map((field) => ({
            field: FIELD_TO_PARAMETER[field] ?? field,
            message: `no ${field} column found; columns present: ${error.sourceColumns.join(', ')}`,
          })),
        });
      }
      if (error instanceof MalformedEventLogError) {
        throw new BadRequestException({ message: error.message, errors: [{ field: 'file', message: error.message }] });
      }
      throw error;
    }
  }

  private async receiveRawBody(request: Request): Promise<string> {
    const dir = path.join(this.config.filesDir, 'uploads');
    await mkdir(dir, { recursive: true });
    const target = path.join(dir, randomUUID());
    let received = 0;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > uploadLimit) request.destroy(new PayloadTooLargeException('Upload too large'));
    });
    await pipeline(request, createWriteStream(target));
    if (received === 0) {
      throw new BadRequestException({ message: 'Empty upload', errors: [{ field: 'body', message: 'the event log is empty' }] });
    }
    return target;
  }
}
