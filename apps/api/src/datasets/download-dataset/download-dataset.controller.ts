/**
 * Download a dataset: the file as uploaded (`format=source`, the default) or its log as read at
 * import (`format=arrow`: an Apache Arrow IPC file, one row per event in log order, for pyarrow,
 * pandas, polars or DuckDB; layout in libs/mining/src/ingest/ingested-log-file.ts).
 */
import { BadRequestException, Controller, Get, Inject, NotFoundException, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import { datasetFilePath, ingestedLogPath } from '../../../../../libs/datasets/src/register-dataset.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { STORES } from '../../execution/shared/execution.tokens.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { binaryContent } from '../../http/binary-content.js';
import { attachment } from '../../http/attachment.js';

const DOWNLOAD_FORMATS = ['source', 'arrow'] as const;
const SOURCE_CONTENT_TYPES: Readonly<Record<string, string>> = {
  csv: 'text/csv', 'csv.gz': 'application/gzip', xes: 'application/xml', 'xes.gz': 'application/gzip',
};
export const ARROW_CONTENT_TYPE = 'application/vnd.apache.arrow.file';

@ApiTags('Datasets')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/datasets')
@UseGuards(TenantScopeGuard)
export class DownloadDatasetController {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  @Get(':datasetId/download')
  @ApiOperation({ summary: 'Download a dataset: the uploaded file, or its log as read (Apache Arrow)' })
  @ApiQuery({ name: 'format', required: false, enum: DOWNLOAD_FORMATS })
  @ApiOkResponse({ description: 'The file', content: binaryContent(...new Set(Object.values(SOURCE_CONTENT_TYPES)), ARROW_CONTENT_TYPE) })
  @ApiErrorResponses(400, 401, 403, 404)
  async download(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('datasetId') datasetId: string,
    @Query('format') format: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const chosen = format ?? 'source';
    if (!(DOWNLOAD_FORMATS as readonly string[]).includes(chosen)) {
      throw new BadRequestException({ message: 'Unknown download format', errors: [{ field: 'format', message: `must be one of ${DOWNLOAD_FORMATS.join(', ')}` }] });
    }
    const dataset = await this.stores.datasets.get(tenantId.toLowerCase(), projectId.toLowerCase(), datasetId.toLowerCase());
    if (!dataset) throw new NotFoundException('Dataset not found');
    const file = chosen === 'arrow' ? ingestedLogPath(this.stores.files, dataset) : datasetFilePath(this.stores.files, dataset);
    if (file === null || !(await this.stores.files.exists(file))) {
      throw new NotFoundException(chosen === 'arrow' ? 'This dataset was registered before logs were kept as read: download its source' : 'Dataset file is missing');
    }
    const base = dataset.name.replace(/[^\w.-]+/g, '_').replace(/\.(csv|xes)(\.gz)?$/i, '') || 'dataset';
    const fileName = chosen === 'arrow' ? `${base}.arrow` : dataset.fileName.replace(/^[0-9a-f-]+/, base);
    await reply
      .header('Content-Type', chosen === 'arrow' ? ARROW_CONTENT_TYPE : SOURCE_CONTENT_TYPES[dataset.format] ?? 'application/octet-stream')
      .header('Content-Length', String(await this.stores.files.sizeOf(file)))
      .header('Content-Disposition', attachment(fileName))
      .send(this.stores.files.open(file));
  }
}
