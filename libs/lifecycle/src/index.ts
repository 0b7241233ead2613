export * from './background-service.js';
export * from './leader-election.js';
export * from './postgres-leader-election.js';
export * from './while-leading.js';
