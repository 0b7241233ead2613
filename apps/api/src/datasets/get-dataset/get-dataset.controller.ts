import { Controller, Get, Inject, NotFoundException, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { STORES } from '../../execution/shared/execution.tokens.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { DatasetDto } from '../dataset.dto.js';
import { datasetView } from '../dataset-view.js';

@ApiTags('Datasets')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/datasets')
@UseGuards(TenantScopeGuard)
export class GetDatasetController {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  @Get(':datasetId')
  @ApiOperation({ summary: 'Describe a dataset' })
  @ApiResponse({ status: 200, type: DatasetDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async get(@Param('tenantId') tenantId: string, @Param('projectId') projectId: string, @Param('datasetId') datasetId: string) {
    const dataset = await this.stores.datasets.get(tenantId.toLowerCase(), projectId.toLowerCase(), datasetId.toLowerCase());
    if (!dataset) throw new NotFoundException('Dataset not found');
    return datasetView(dataset);
  }
}
