export * from './event-store.port.js';
export * from './event-upcasters.js';
export * from './postgres/index.js';
