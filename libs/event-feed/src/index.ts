export * from './feed-filter.js';
export * from './feed-reads.js';
export * from './postgres-feed-reads.js';
export * from './event-feed-hub.js';
export * from './feed-event.js';
