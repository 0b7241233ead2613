import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from './event-store.port.js';
import { EventUpcasters } from './event-upcasters.js';

const AT = '2026-01-01T00:00:00.000Z';
const stored = (type: string, schemaVersion: number, data: unknown): RecordedEvent => ({
  eventId: '00000000-0000-4000-8000-000000000001', type, schemaVersion, data,
  metadata: { tenantId: 't', projectId: 'p', actor: 'a', correlationId: 'c', causationId: 'c', occurredAt: AT },
  streamId: 's-1', revision: 0n, position: { commit: 1n, prepare: 1n }, recordedAt: AT,
});

describe('EventUpcasters', () => {
  const registry = new EventUpcasters([
    { eventType: 'Renamed', fromVersion: 2, upcast: (data) => ({ ...(data as object), step: 3 }) },
    { eventType: 'Renamed', fromVersion: 1, upcast: (data) => ({ fullName: (data as { name: string }).name, step: 2 }) },
  ]);

  it('runs every step from the stored version to the newest, in version order', () => {
    const current = registry.upcast(stored('Renamed', 1, { name: 'x' }));
    expect(current).toMatchObject({ schemaVersion: 3, data: { fullName: 'x', step: 3 }, eventId: '00000000-0000-4000-8000-000000000001' });
    expect(registry.upcast(stored('Renamed', 2, { fullName: 'y' }))).toMatchObject({ schemaVersion: 3, data: { fullName: 'y', step: 3 } });
  });

  it('hands back the same object for a current version and for types without upcasters', () => {
    const current = stored('Renamed', 3, { fullName: 'z' });
    expect(registry.upcast(current)).toBe(current);
    const other = stored('Other', 1, {});
    expect(registry.upcast(other)).toBe(other);
  });

  it('refuses two upcasters from the same version and versions below 1', () => {
    const step = { eventType: 'A', fromVersion: 1, upcast: (d: unknown) => d };
    expect(() => new EventUpcasters([step, step])).toThrow(/two upcasters of A from version 1/);
    expect(() => new EventUpcasters([{ ...step, fromVersion: 0 }])).toThrow(/fromVersion/);
  });
});
