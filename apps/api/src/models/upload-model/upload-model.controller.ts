/**
 * Upload a process model: PNML or BPMN XML as the raw body (application/xml, text/xml,
 * application/octet-stream) or multipart/form-data with a `file` field. Models are small
 * (at most MAX_MODEL_BYTES) and are read whole; the model is imported before it is
 * registered, so a model that cannot be checked against is refused at once.
 */
import type { Readable } from 'node:stream';
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
import { ModelImportError } from '../../../../../libs/mining/src/models/model-import-error.js';
import { detectModelFormat, MAX_MODEL_BYTES, registerProcessModel } from '../../../../../libs/process-models/src/register-process-model.js';
import { inspectJsonValue } from '../../../../../libs/storage/src/storable-text.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { STORES } from '../../execution/shared/execution.tokens.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { EVENT_LOG_BODY } from '../../http/request-limits.js';
import { flattenValidationErrors } from '../../http/validation.js';
import { ProcessModelDto, UploadProcessModelRequestDto } from '../process-model.dto.js';
import { processModelView } from '../process-model-view.js';

/** Raw body types taken as model XML (all among the raw upload types the HTTP platform streams). */
const MODEL_CONTENT_TYPES = ['application/xml', 'text/xml', 'application/octet-stream'];

interface ReceivedModel {
  readonly bytes: Buffer;
  readonly originalName: string;
  readonly fields: Record<string, string>;
}

@ApiTags('Process models')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/models')
@UseGuards(TenantScopeGuard)
export class UploadProcessModelController {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  @Post()
  @HttpCode(201)
  @RouteConfig(EVENT_LOG_BODY)
  @ApiOperation({ summary: 'Upload a process model (PNML or BPMN) to check conformance against' })
  @ApiConsumes('application/xml', 'multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 201, type: ProcessModelDto })
  @ApiErrorResponses(400, 401, 403, 404, 413)
  async upload(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Query() query: UploadProcessModelRequestDto,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ) {
    const upload = request.isMultipart() ? await receiveMultipart(request) : await receiveRaw(request, body);
    const options = validateOptions({ ...query, ...upload.fields });
    let xml: string;
    try {
      xml = new TextDecoder('utf-8', { fatal: true }).decode(upload.bytes);
    } catch {
      throw fileProblem('the model is not UTF-8 text');
    }
    const originalName = options.name ?? upload.originalName;
    const format = options.format ?? detectModelFormat(upload.originalName, xml);
    if (!format) {
      throw new BadRequestException({
        message: 'Cannot tell the model format',
        errors: [{ field: 'format', message: 'pass format=pnml or format=bpmn, or name the file .pnml or .bpmn' }],
      });
    }
    try {
      const model = await registerProcessModel(this.stores.files, this.stores.models, {
        tenantId: tenantId.toLowerCase(), projectId: projectId.toLowerCase(), xml, sizeBytes: upload.bytes.length, format,
        originalName: upload.originalName, name: originalName, uploadedBy: principal.subject,
      });
      return processModelView(model);
    } catch (error) {
      if (error instanceof ModelImportError) throw fileProblem(error.message);
      throw error;
    }
  }
}

function fileProblem(message: string): BadRequestException {
  return new BadRequestException({ message: `Invalid process model: ${message}`, errors: [{ field: 'file', message }] });
}

async function receiveMultipart(request: FastifyRequest): Promise<ReceivedModel> {
  let part;
  try {
    part = await request.file({ limits: { fileSize: MAX_MODEL_BYTES, files: 1 } });
  } catch (error) {
    const message = `not a readable multipart/form-data body: ${error instanceof Error ? error.message : String(error)}`;
    throw new BadRequestException({ message, errors: [{ field: 'file', message }] });
  }
  if (!part) throw new BadRequestException({ message: 'No file in the upload', errors: [{ field: 'file', message: 'multipart field "file" is required' }] });
  if (part.fieldname !== 'file') {
    part.file.resume();
    throw new BadRequestException({ message: 'Unexpected upload field', errors: [{ field: part.fieldname, message: 'the model goes in the field "file"' }] });
  }
  let bytes: Buffer;
  try {
    bytes = await part.toBuffer();
  } catch (error) {
    if (error instanceof HttpException) throw error;
    if ((error as { statusCode?: number }).statusCode === 413 || part.file.truncated) throw tooLarge();
    const message = `not a readable multipart/form-data body: ${error instanceof Error ? error.message : String(error)}`;
    throw new BadRequestException({ message, errors: [{ field: 'file', message }] });
  }
  if (part.file.truncated) throw tooLarge();
  const fields: Record<string, string> = {};
  for (const [name, field] of Object.entries(part.fields)) {
    const value = Array.isArray(field) ? field[0] : field;
    if (value && value.type === 'field' && name !== 'file') fields[name] = String(value.value);
  }
  const originalName = part.filename || 'upload';
  const unstorable = inspectJsonValue({ ...fields, filename: originalName });
  if (unstorable.length > 0) throw new BadRequestException({ message: 'Invalid upload fields', errors: unstorable });
  if (bytes.length === 0) throw fileProblem('the model is empty');
  return { bytes, originalName, fields };
}

async function receiveRaw(request: FastifyRequest, body: unknown): Promise<ReceivedModel> {
  const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!MODEL_CONTENT_TYPES.includes(type) || !isReadable(body)) {
    throw new BadRequestException({
      message: 'Send the model as application/xml or multipart/form-data (field "file")',
      errors: [{ field: 'body', message: `unsupported content type "${type}"` }],
    });
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > MAX_MODEL_BYTES) {
      body.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  if (received === 0) throw new BadRequestException({ message: 'Empty upload', errors: [{ field: 'body', message: 'the model is empty' }] });
  return { bytes: Buffer.concat(chunks), originalName: 'upload', fields: {} };
}

function tooLarge(): PayloadTooLargeException {
  return new PayloadTooLargeException(`Process model too large: at most ${MAX_MODEL_BYTES / (1024 * 1024)} MB`);
}

function isReadable(value: unknown): value is Readable {
  return typeof (value as Readable | null)?.pipe === 'function';
}

function validateOptions(raw: Record<string, unknown>): UploadProcessModelRequestDto {
  const options = plainToInstance(UploadProcessModelRequestDto, raw);
  const errors = validateSync(options, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new BadRequestException({ message: 'Validation failed', errors: flattenValidationErrors(errors) });
  return options;
}
