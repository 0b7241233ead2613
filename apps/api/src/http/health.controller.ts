import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Stores } from '../../../../libs/storage/src/open-stores.js';
import { STORES } from '../execution/shared/execution.tokens.js';

/** Liveness and readiness for process managers and load balancers (no auth, no tenant data). */
@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  @Get()
  @ApiOperation({ summary: 'Store reachable and service up' })
  async health() {
    await this.stores.sql.query('SELECT 1');
    return { status: 'ok', store: this.stores.kind };
  }
}
