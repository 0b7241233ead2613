import { describe, expect, it } from '@jest/globals';
import { loadServiceConfig } from './service-config.js';
import { checkStoreLocations, loadStoreLocations, samePostgresDatabase, viewsShareTheEventStore } from './store-locations.js';

const STATE = 'postgres://svc:secret@db.internal:5432/jobs';

describe('EVENT_STORE_URL and READ_STORE_URL', () => {
  it('default both to the state store, embedded or DATABASE_URL, where views commit with the events', () => {
    const embedded = loadStoreLocations({});
    expect(embedded).toEqual({ state: { kind: 'embedded' }, events: { kind: 'state' }, views: { kind: 'state' } });
    expect(viewsShareTheEventStore(embedded)).toBe(true);
    const server = loadServiceConfig({ DATABASE_URL: STATE }).stores;
    expect(server).toEqual({ state: { kind: 'postgres', url: STATE }, events: { kind: 'state' }, views: { kind: 'state' } });
  });

  it('reads every accepted scheme', () => {
    for (const url of ['postgres://h/events', 'postgresql://h/events']) {
      expect(loadStoreLocations({ DATABASE_URL: STATE, EVENT_STORE_URL: url }).events).toEqual({ kind: 'postgres', url });
    }
    for (const url of ['kurrentdb://h:2113?tls=false', 'kurrentdb+discover://h:2113', 'esdb://h:2113?tls=false', 'esdb+discover://a,b,c']) {
      expect(loadStoreLocations({ EVENT_STORE_URL: url }).events).toEqual({ kind: 'kurrentdb', url });
    }
    expect(loadStoreLocations({ READ_STORE_URL: 'mongodb://h:27017/jobs?replicaSet=rs0' }).views)
      .toEqual({ kind: 'mongodb', url: 'mongodb://h:27017/jobs?replicaSet=rs0', database: 'jobs' });
    expect(loadStoreLocations({ READ_STORE_URL: 'mongodb+srv://u:p@cluster.example/views' }).views)
      .toEqual({ kind: 'mongodb', url: 'mongodb+srv://u:p@cluster.example/views', database: 'views' });
    expect(loadStoreLocations({ READ_STORE_URL: 'postgresql://h/views' }).views).toEqual({ kind: 'postgres', url: 'postgresql://h/views' });
  });

  it('treats a URL naming the state store\'s database as the state store, the password and scheme spelling aside', () => {
    const same = loadStoreLocations({ DATABASE_URL: STATE, EVENT_STORE_URL: 'postgresql://svc:other@DB.internal/jobs', READ_STORE_URL: STATE });
    expect(same.events).toEqual({ kind: 'state' });
    expect(same.views).toEqual({ kind: 'state' });
    expect(viewsShareTheEventStore(same)).toBe(true);
    expect(samePostgresDatabase(STATE, 'postgres://svc@db.internal:5433/jobs')).toBe(false);
    expect(samePostgresDatabase(STATE, 'postgres://svc@db.internal/other')).toBe(false);
  });

  it('lets views commit with the events only when both are in one PostgreSQL database', () => {
    const together = loadStoreLocations({ DATABASE_URL: STATE, EVENT_STORE_URL: 'postgres://h/es', READ_STORE_URL: 'postgres://h/es' });
    expect(viewsShareTheEventStore(together)).toBe(true);
    expect(viewsShareTheEventStore(loadStoreLocations({ DATABASE_URL: STATE, EVENT_STORE_URL: 'postgres://h/es' }))).toBe(false);
    expect(viewsShareTheEventStore(loadStoreLocations({ DATABASE_URL: STATE, READ_STORE_URL: 'postgres://h/views' }))).toBe(false);
    expect(viewsShareTheEventStore(loadStoreLocations({ EVENT_STORE_URL: 'kurrentdb://h:2113', READ_STORE_URL: 'mongodb://h/v' }))).toBe(false);
  });

  it('refuses a bad scheme, naming the variable and the accepted schemes, without the password', () => {
    expect(() => loadServiceConfig({ EVENT_STORE_URL: 'mysql://u:hunter2@h/db' })).toThrow(
      'EVENT_STORE_URL must be a URL with one of the schemes postgres://, postgresql://, kurrentdb://, kurrentdb+discover://, esdb://, esdb+discover://; got "mysql://u:***@h/db"');
    expect(() => loadServiceConfig({ READ_STORE_URL: 'kurrentdb://h:2113' })).toThrow(
      'READ_STORE_URL must be a URL with one of the schemes postgres://, postgresql://, mongodb://, mongodb+srv://; got "kurrentdb://h:2113"');
    expect(() => loadServiceConfig({ READ_STORE_URL: 'h:27017' })).toThrow(/^READ_STORE_URL must be a URL/);
    expect(() => loadServiceConfig({ DATABASE_URL: 'mongodb://h/x' })).toThrow(/^DATABASE_URL must be a URL with one of the schemes postgres:\/\/, postgresql:\/\//);
    expect(() => loadServiceConfig({ READ_STORE_URL: 'mongodb://h:27017/?replicaSet=rs0' })).toThrow(/READ_STORE_URL must name the MongoDB database/);
  });

  it('refuses a worker without a state store server, naming what it would share', () => {
    expect(() => checkStoreLocations(loadStoreLocations({}), 'worker')).toThrow(/^apps\/worker needs DATABASE_URL: the embedded store belongs to the API process/);
    expect(() => checkStoreLocations(loadStoreLocations({ EVENT_STORE_URL: 'kurrentdb://h:2113', READ_STORE_URL: 'mongodb://h/v' }), 'worker'))
      .toThrow('apps/worker needs DATABASE_URL even with EVENT_STORE_URL and READ_STORE_URL set: datasets, notifications, job logs and leader election live on the state store, and the embedded one belongs to the API process');
    expect(() => checkStoreLocations(loadStoreLocations({ DATABASE_URL: STATE, EVENT_STORE_URL: 'kurrentdb://h:2113' }), 'worker')).not.toThrow();
    // The API process owns the embedded state store: any event and read store may go with it.
    expect(() => checkStoreLocations(loadStoreLocations({ EVENT_STORE_URL: 'kurrentdb://h:2113' }), 'api')).not.toThrow();
  });
});
