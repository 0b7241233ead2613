/**
 * Read-your-writes: a command answers only once the job projection has applied the
 * events it appended, so the caller's next query sees them (no 404 right after a 201).
 */
import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../../../libs/config/src/service-config.js';
import type { GlobalPosition } from '../../../../../libs/event-store/src/event-store.port.js';
import type { JobProjection } from '../../../../../libs/read-store/src/projections/job-projection.js';
import { JOB_PROJECTION_RUNNER } from './execution.tokens.js';

@Injectable()
export class ReadYourWrites {
  constructor(
    @Inject(JOB_PROJECTION_RUNNER) private readonly projection: JobProjection,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async waitFor(position: GlobalPosition | null): Promise<void> {
    if (!position) return;
    if (!(await this.projection.waitFor(position, this.config.readYourWritesTimeoutMs))) {
      // The write is durable; only the view lags. Say so instead of answering stale data.
      throw new ServiceUnavailableException('The job was recorded but its view is not up to date yet; query again shortly');
    }
  }
}
