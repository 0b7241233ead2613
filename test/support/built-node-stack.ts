/**
 * The execution node's stack loaded from dist/, for integration suites that run a real node
 * in-process: the node forks its job process from the built JavaScript, and loading every
 * class from the same build keeps one copy of each (the node's instanceof checks see the
 * same error classes the suite's stores throw). `npm test` builds first.
 */
import path from 'node:path';
import type * as ServiceConfigModule from '../../libs/config/src/service-config.js';
import type * as RegisterDatasetModule from '../../libs/datasets/src/register-dataset.js';
import type * as ExecutionNodeModule from '../../libs/execution-node/src/execution-node.js';
import type * as JobDomainModule from '../../libs/job-domain/src/index.js';
import type * as JobProjectionModule from '../../libs/read-store/src/projections/job-projection.js';
import type * as OpenStoresModule from '../../libs/storage/src/open-stores.js';

const fromDist = <T>(module: string): Promise<T> => import(path.resolve('dist', module)) as Promise<T>;

export const { loadServiceConfig } = await fromDist<typeof ServiceConfigModule>('libs/config/src/service-config.js');
export const { registerDatasetFromFile } = await fromDist<typeof RegisterDatasetModule>('libs/datasets/src/register-dataset.js');
export const { JobRepository } = await fromDist<typeof JobDomainModule>('libs/job-domain/src/index.js');
export const { JobProjection } = await fromDist<typeof JobProjectionModule>('libs/read-store/src/projections/job-projection.js');
export const { openStores } = await fromDist<typeof OpenStoresModule>('libs/storage/src/open-stores.js');
export const { ExecutionNode } = await fromDist<typeof ExecutionNodeModule>('libs/execution-node/src/execution-node.js');
