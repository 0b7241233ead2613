export * from './event-store.port.js';
export * from './postgres/index.js';
