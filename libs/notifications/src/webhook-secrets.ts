/**
 * Webhook signing secrets, kept out of the job's events (which the event feed and exports
 * show) in a table of their own (created by NotificationOutbox.migrate). A job's events
 * name a secret by its random `secretRef`; no endpoint returns the secret.
 */
import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../../event-store/src/postgres/sql-client.js';

/** Where a submission leaves a secret (the submit path needs only this). */
export interface WebhookSecretSaver {
  /** Stores the secret and returns the reference the job's events carry. */
  save(tenantId: string, secret: string): Promise<string>;
}

/** Where a sender finds it. */
export interface WebhookSecretReader {
  /** The secret, or null when none is stored under `secretRef`. */
  find(secretRef: string): Promise<string | null>;
}

export class PostgresWebhookSecrets implements WebhookSecretSaver, WebhookSecretReader {
  constructor(private readonly sql: SqlClient) {}

  async save(tenantId: string, secret: string): Promise<string> {
    const secretRef = randomUUID();
    await this.sql.query(`INSERT INTO webhook_secrets (secret_ref, tenant_id, secret) VALUES ($1, $2, $3)`, [secretRef, tenantId, secret]);
    return secretRef;
  }

  async find(secretRef: string): Promise<string | null> {
    const rows = await this.sql.query<{ secret: string }>(`SELECT secret FROM webhook_secrets WHERE secret_ref = $1`, [secretRef]);
    return rows[0]?.secret ?? null;
  }
}
