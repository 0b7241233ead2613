/**
 * Runs a background service only while this process leads its role: started when the
 * role is won, stopped the moment it is lost, and retried while led if its start failed
 * (e.g. the database was away). Transitions run one after another, never overlapping.
 */
import type { BackgroundService } from './background-service.js';
import type { LeaderElection, LeaderRole } from './leader-election.js';

export interface WhileLeadingLogger {
  log(message: string): void;
  warn(message: string): void;
}

const START_RETRY_MS = 1000;

export function whileLeading(
  election: LeaderElection,
  role: LeaderRole,
  service: BackgroundService,
  logger: WhileLeadingLogger = console,
): BackgroundService {
  let enabled = false;
  let running = false;
  let transitions: Promise<void> = Promise.resolve();
  let unsubscribe: (() => void) | null = null;
  let retryTimer: NodeJS.Timeout | null = null;

  const settle = (): Promise<void> => {
    transitions = transitions.then(async () => {
      const shouldRun = enabled && election.isLeading(role);
      if (shouldRun === running) return;
      if (shouldRun) {
        try {
          await service.start();
          running = true;
          logger.log(`${service.name} started (${role} led here)`);
        } catch (error) {
          logger.warn(`${service.name} did not start, will retry: ${String(error)}`);
          retryTimer ??= setTimeout(() => {
            retryTimer = null;
            void settle();
          }, START_RETRY_MS);
        }
      } else {
        running = false;
        try {
          await service.stop();
        } catch (error) {
          logger.warn(`${service.name} did not stop cleanly: ${String(error)}`);
        }
        if (enabled) logger.log(`${service.name} stopped (${role} no longer led here)`);
      }
    });
    return transitions;
  };

  return {
    name: `${service.name} while leading ${role}`,
    async start() {
      enabled = true;
      unsubscribe ??= election.onChange(role, () => void settle());
      await settle();
    },
    async stop() {
      enabled = false;
      unsubscribe?.();
      unsubscribe = null;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      await settle();
    },
  };
}
