/**
 * Schema evolution on read: an upcaster turns an event stored at one schema version of its
 * type into the next version's shape. Adapters run the registry on every event they decode
 * (stream reads, readAll, subscriptions), so everything above the store sees only current
 * shapes, while stored events are never rewritten (ADR 0013).
 */
import type { EventMetadata, RecordedEvent } from './event-store.port.js';

export interface EventUpcaster {
  readonly eventType: string;
  /** The version this upcaster reads; it returns the data of version `fromVersion + 1`. */
  readonly fromVersion: number;
  upcast(data: unknown, metadata: EventMetadata): unknown;
}

export class EventUpcasters {
  private readonly byType = new Map<string, Map<number, EventUpcaster>>();

  constructor(upcasters: readonly EventUpcaster[] = []) {
    for (const upcaster of upcasters) {
      if (!Number.isInteger(upcaster.fromVersion) || upcaster.fromVersion < 1) {
        throw new Error(`upcaster of ${upcaster.eventType}: fromVersion must be a whole number >= 1`);
      }
      const versions = this.byType.get(upcaster.eventType) ?? new Map<number, EventUpcaster>();
      if (versions.has(upcaster.fromVersion)) {
        throw new Error(`two upcasters of ${upcaster.eventType} from version ${upcaster.fromVersion}`);
      }
      versions.set(upcaster.fromVersion, upcaster);
      this.byType.set(upcaster.eventType, versions);
    }
  }

  /** The event types some stored version of which reads in another shape. */
  eventTypes(): string[] {
    return [...this.byType.keys()];
  }

  /** Every stored shape (type and version) that reads in another shape. */
  storedShapes(): { eventType: string; schemaVersion: number }[] {
    return [...this.byType].flatMap(([eventType, versions]) => [...versions.keys()].map((schemaVersion) => ({ eventType, schemaVersion })));
  }

  /** Whether an event of this type stored at this version reads in another shape. */
  appliesTo(eventType: string, schemaVersion: number): boolean {
    return this.byType.get(eventType)?.has(schemaVersion) ?? false;
  }

  /** The event in the newest shape its upcasters reach; the same object when none applies. */
  upcast(event: RecordedEvent): RecordedEvent {
    const versions = this.byType.get(event.type);
    if (!versions) return event;
    let { data, schemaVersion } = event;
    for (let step = versions.get(schemaVersion); step; step = versions.get(schemaVersion)) {
      data = step.upcast(data, event.metadata);
      schemaVersion += 1;
    }
    return schemaVersion === event.schemaVersion ? event : { ...event, data, schemaVersion };
  }
}

export const NO_UPCASTERS = new EventUpcasters();
