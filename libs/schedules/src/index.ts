export * from './schedule.events.js';
export * from './schedule.state.js';
export * from './schedule.decide.js';
export * from './fire-times.js';
export * from './schedule-repository.js';
export * from './schedule-views.port.js';
export * from './schedule-firer.js';
export * from './postgres/postgres-schedule-store.js';
