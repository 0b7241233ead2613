import { Controller, Get, Inject, NotFoundException, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { STORES } from '../../execution/shared/execution.tokens.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { ProcessModelDto } from '../process-model.dto.js';
import { processModelView } from '../process-model-view.js';

@ApiTags('Process models')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/models')
@UseGuards(TenantScopeGuard)
export class GetProcessModelController {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  @Get(':modelId')
  @ApiOperation({ summary: 'Describe an uploaded process model' })
  @ApiResponse({ status: 200, type: ProcessModelDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async get(@Param('tenantId') tenantId: string, @Param('projectId') projectId: string, @Param('modelId') modelId: string) {
    const model = await this.stores.models.get(tenantId.toLowerCase(), projectId.toLowerCase(), modelId.toLowerCase());
    if (!model) throw new NotFoundException('Process model not found');
    return processModelView(model);
  }
}
