/** Process model descriptions in PostgreSQL / PGlite, scoped by tenant and project (as the dataset registry). */
import { LRUCache } from 'lru-cache';
import type { SqlClient } from '../../event-store/src/postgres/sql-client.js';
import type { ProcessModel } from './process-model.js';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS process_models (
     model_id text PRIMARY KEY,
     tenant_id text NOT NULL,
     project_id text NOT NULL,
     uploaded_at timestamptz NOT NULL,
     doc jsonb NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS process_models_scope ON process_models (tenant_id, project_id, uploaded_at DESC)`,
];

const REMEMBERED_MODELS = 10_000;

export class PostgresProcessModelRegistry {
  /** Models never change once registered and are never deleted, so a record read once stays true. */
  private readonly registered = new LRUCache<string, ProcessModel>({ max: REMEMBERED_MODELS });

  constructor(private readonly sql: SqlClient) {}

  async migrate(): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('process_models_migration'))`);
      for (const statement of SCHEMA) await tx.query(statement);
    });
  }

  async register(model: ProcessModel): Promise<void> {
    await this.sql.query(
      `INSERT INTO process_models (model_id, tenant_id, project_id, uploaded_at, doc) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (model_id) DO NOTHING`,
      [model.modelId, model.tenantId, model.projectId, model.uploadedAt, JSON.stringify(model)],
    );
  }

  async get(tenantId: string, projectId: string, modelId: string): Promise<ProcessModel | null> {
    const key = `${tenantId}/${projectId}/${modelId}`;
    const known = this.registered.get(key);
    if (known) return known;
    const rows = await this.sql.query<{ doc: ProcessModel }>(
      `SELECT doc FROM process_models WHERE model_id = $1 AND tenant_id = $2 AND project_id = $3`,
      [modelId, tenantId, projectId],
    );
    const model = rows[0]?.doc ?? null;
    if (model) this.registered.set(key, model);
    return model;
  }
}
