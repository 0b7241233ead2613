import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { JobProjection } from '../../../../libs/read-store/src/projections/job-projection.js';
import type { Stores } from '../../../../libs/storage/src/open-stores.js';
import { READY_STORE_TIMEOUT_MS, storeProblems, withDeadline } from '../../../../libs/storage/src/readiness.js';
import type { TelemetryConfig } from '../../../../libs/telemetry/src/index.js';
import { JOB_PROJECTION_RUNNER, STORES } from '../execution/shared/execution.tokens.js';
import { TELEMETRY_CONFIG } from './telemetry.tokens.js';

/** Liveness and readiness for process managers and load balancers (no auth, no tenant data). */
@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    @Inject(JOB_PROJECTION_RUNNER) private readonly projection: JobProjection,
    @Inject(TELEMETRY_CONFIG) private readonly telemetry: TelemetryConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Store reachable and service up' })
  async health() {
    await this.stores.ping();
    return { status: 'ok', store: this.stores.kind, stores: this.stores.layout };
  }

  @Get('live')
  @ApiOperation({ summary: 'The process is up (touches no store)' })
  live() {
    return { status: 'live' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Stores reachable and the job projection within READY_MAX_PROJECTION_LAG_SECONDS; 503 with the reasons when not' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const reasons = await storeProblems(this.stores);
    let projectionLagSeconds: number | null = null;
    if (reasons.length === 0) {
      try {
        // Measured where this process runs the projection; null where another process leads it.
        projectionLagSeconds = await withDeadline(this.projection.lagSeconds(), READY_STORE_TIMEOUT_MS, 'the store did not answer in time');
        if (projectionLagSeconds !== null && projectionLagSeconds > this.telemetry.readyMaxProjectionLagSeconds) {
          reasons.push(`job projection ${projectionLagSeconds.toFixed(1)} s behind (limit ${this.telemetry.readyMaxProjectionLagSeconds} s)`);
        }
      } catch (error) {
        reasons.push(`store unreachable: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    void reply.status(reasons.length === 0 ? 200 : 503);
    return { status: reasons.length === 0 ? 'ready' : 'unavailable', store: this.stores.kind, stores: this.stores.layout, projectionLagSeconds, reasons };
  }
}
