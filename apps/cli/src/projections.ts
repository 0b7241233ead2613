/**
 * Projections of the read store, from the command line:
 *   npm run projections -- rebuild <name>   blue/green rebuild from position 0 (e.g. job_views)
 *   npm run projections -- status           each projection's checkpoint, lag, leader and rebuild, as JSON
 * (`npm run projections:rebuild` is `rebuild job_views`.) On PostgreSQL it runs beside the live
 * API and worker processes: they keep serving the live read model until the switch, and their
 * projection follows the rebuilt checkpoint. The embedded store belongs to the API process:
 * use its admin endpoint (POST /api/admin/projections/<name>/rebuild) or send it SIGUSR2.
 * Exit codes: 0 done, 1 failed, 2 bad usage or unknown name, 3 a rebuild already runs.
 */
import { loadServiceConfig } from '../../../libs/config/src/service-config.js';
import {
  REBUILDABLE_PROJECTIONS, RebuildAlreadyRunningError,
} from '../../../libs/read-store/src/projections/projection-rebuilds.js';
import { openProjectionRebuilds } from '../../../libs/storage/src/open-projection-rebuilds.js';
import { openStores } from '../../../libs/storage/src/open-stores.js';

const USAGE = `usage: npm run projections -- rebuild <name> | status\n  names: ${REBUILDABLE_PROJECTIONS.join(', ')}\n`;

function fail(message: string, code: number): never {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
  process.exit(code);
}

const [command, name, ...rest] = process.argv.slice(2);
if (command !== 'rebuild' && command !== 'status') fail(USAGE, 2);
if (command === 'rebuild' && (!name || rest.length > 0)) fail(USAGE, 2);
if (command === 'status' && name !== undefined) fail(USAGE, 2);
if (command === 'rebuild' && !REBUILDABLE_PROJECTIONS.includes(name)) {
  fail(`unknown projection '${name}'; known: ${REBUILDABLE_PROJECTIONS.join(', ')}`, 2);
}

const config = loadServiceConfig();
if (!config.databaseUrl) {
  fail(
    `the embedded store (${config.dataDir}) belongs to the API process, which keeps it open: ask that process instead, `
    + `POST /api/admin/projections/${name ?? '<name>'}/rebuild with an admin token (GET /api/admin/projections for status), `
    + 'or send it SIGUSR2 (kill -USR2 <pid>) to rebuild job_views', 1,
  );
}

const started = Date.now();
const stores = await openStores(config);
let exitCode = 0;
try {
  const rebuilds = openProjectionRebuilds(config, stores);
  if (command === 'status') {
    process.stdout.write(`${JSON.stringify(await rebuilds.status(), null, 2)}\n`);
  } else {
    const { done } = await rebuilds.start(name);
    const state = await done;
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `job views rebuilt from position 0: ${state.jobEventsFolded} job events replayed in ${seconds.toFixed(1)} s `
      + `(${state.eventsFolded} events, ${Math.round(state.eventsFolded / seconds)} events/s; switched to the fresh copy)\n`,
    );
  }
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  exitCode = error instanceof RebuildAlreadyRunningError ? 3 : 1;
} finally {
  await stores.close();
}
process.exit(exitCode);
