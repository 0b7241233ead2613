export * from './job.types.js';
export * from './job.events.js';
export * from './job.state.js';
export * from './job.decide.js';
export * from './job.errors.js';
export * from './queue-order.js';
export * from './job-repository.js';
export * from './job-writer.js';
