/** Dataset descriptions in PostgreSQL / PGlite, scoped by tenant and project. */
import { LRUCache } from 'lru-cache';
import type { SqlClient } from '../../event-store/src/postgres/sql-client.js';
import type { Dataset } from './dataset.js';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS datasets (
     dataset_id text PRIMARY KEY,
     tenant_id text NOT NULL,
     project_id text NOT NULL,
     created_at timestamptz NOT NULL,
     doc jsonb NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS datasets_scope ON datasets (tenant_id, project_id, created_at DESC)`,
];

/** Dataset records a process keeps once read (every submit and every job start reads its dataset). */
const REMEMBERED_DATASETS = 10_000;

export class PostgresDatasetRegistry {
  /**
   * Registered datasets as read: a record never changes once registered (a second register
   * of the same id does nothing) and datasets are never deleted, so a record read once
   * stays true. Only found records are kept: one not registered yet may be later.
   */
  private readonly registered = new LRUCache<string, Dataset>({ max: REMEMBERED_DATASETS });

  constructor(private readonly sql: SqlClient) {}

  async migrate(): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('datasets_migration'))`);
      for (const statement of SCHEMA) await tx.query(statement);
    });
  }

  async register(dataset: Dataset): Promise<void> {
    await this.sql.query(
      `INSERT INTO datasets (dataset_id, tenant_id, project_id, created_at, doc) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (dataset_id) DO NOTHING`,
      [dataset.datasetId, dataset.tenantId, dataset.projectId, dataset.createdAt, JSON.stringify(dataset)],
    );
  }

  async get(tenantId: string, projectId: string, datasetId: string): Promise<Dataset | null> {
    const key = `${tenantId}/${projectId}/${datasetId}`;
    const known = this.registered.get(key);
    if (known) return known;
    const rows = await this.sql.query<{ doc: Dataset }>(
      `SELECT doc FROM datasets WHERE dataset_id = $1 AND tenant_id = $2 AND project_id = $3`,
      [datasetId, tenantId, projectId],
      'datasets_get', // every submit reads its dataset: planned once per connection
    );
    const dataset = rows[0]?.doc ?? null;
    if (dataset) this.registered.set(key, dataset);
    return dataset;
  }

  async list(tenantId: string, projectId: string, limit: number, offset: number): Promise<{ datasets: Dataset[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.sql.query<{ doc: Dataset }>(
        `SELECT doc FROM datasets WHERE tenant_id = $1 AND project_id = $2 ORDER BY created_at DESC, dataset_id LIMIT $3 OFFSET $4`,
        [tenantId, projectId, limit, offset],
      ),
      this.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM datasets WHERE tenant_id = $1 AND project_id = $2`, [tenantId, projectId]),
    ]);
    return { datasets: rows.map((r) => r.doc), total: Number(count[0]?.n ?? 0) };
  }
}
