export * from './notification-outbox.js';
export * from './job-notification-message.js';
export * from './job-notification-saga.js';
export * from './notification-sender.js';
export * from './notification-config.js';
export * from './create-notifications.js';
