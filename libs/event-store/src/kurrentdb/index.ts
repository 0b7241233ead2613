export {
  KurrentDbEventStore,
  createKurrentDbEventStore,
  type KurrentDbEventStoreOptions,
  type CreateKurrentDbEventStoreOptions,
} from './kurrentdb-event-store.js';
