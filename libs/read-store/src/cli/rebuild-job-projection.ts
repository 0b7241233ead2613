/**
 * Rebuilds the job views from position 0 (after a projection change, or to repair a
 * read store):
 *   npm run projections:rebuild
 * On PostgreSQL it runs beside the live API processes, whose projections then follow the
 * rebuilt checkpoint. The embedded store belongs to the API process: send that process
 * SIGUSR2 instead (`kill -USR2 <pid>`), and it rebuilds while it keeps serving.
 */
import { loadServiceConfig } from '../../../config/src/service-config.js';
import { openStores } from '../../../storage/src/open-stores.js';
import { JobProjection } from '../projections/job-projection.js';

const started = Date.now();
const stores = await openStores(loadServiceConfig());
try {
  const projection = new JobProjection(stores.events, stores.jobs);
  await projection.rebuildOnce();
  process.stdout.write(
    `job views rebuilt from position 0: ${projection.jobEventsAppliedSinceRebuild} job events replayed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
} finally {
  await stores.close();
}
