/**
 * Read-your-writes: a command answers only once its view shows the events it appended,
 * so the caller's next query sees them (no 404 right after a 201). Where the view commits
 * with the append (PostgreSQL/PGlite) that is already so; elsewhere it waits for the job
 * projection.
 */
import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../../../libs/config/src/service-config.js';
import type { GlobalPosition } from '../../../../../libs/event-store/src/event-store.port.js';
import { JobRepository } from '../../../../../libs/job-domain/src/index.js';
import type { JobProjection } from '../../../../../libs/read-store/src/projections/job-projection.js';
import { JOB_PROJECTION_RUNNER } from './execution.tokens.js';

@Injectable()
export class ReadYourWrites {
  constructor(
    @Inject(JOB_PROJECTION_RUNNER) private readonly projection: JobProjection,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly repository: JobRepository,
  ) {}

  async waitFor(position: GlobalPosition | null): Promise<void> {
    if (!position || this.repository.viewsWrittenWithAppend) return;
    await this.waitForProjection(position);
  }

  /** Waits for the projection itself, views written with the append or not: what only it writes (project queues). */
  async waitForProjection(position: GlobalPosition | null): Promise<void> {
    if (!position) return;
    if (!(await this.projection.waitFor(position, this.config.readYourWritesTimeoutMs))) {
      // The write is durable; only the view lags. Say so instead of answering stale data.
      throw new ServiceUnavailableException('The job was recorded but its view is not up to date yet; query again shortly');
    }
  }
}
