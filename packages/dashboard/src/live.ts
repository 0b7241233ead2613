/**
 * Keeping a page current: the event feed (server-sent events) says when something changed,
 * and the page reloads what it shows; where the feed cannot be followed, a poll every few
 * seconds does the same.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ExecutionApi, FeedEvent } from './api';

export type LiveMode = 'connecting' | 'live' | 'polling' | 'ended';

const POLL_MS = 4000;
const RECONNECT_MS = 2000;
/** Failed connections in a row before polling takes over. */
const FAILURES_BEFORE_POLLING = 3;
const FEED_POSITION = /^\d+\/\d+$/;

/**
 * Runs `load` now and again whenever it may show something new, one load at a time (a change
 * during a load runs one more). Returns the feed's mode and a function to reload at once.
 */
export function useLiveReload(
  api: ExecutionApi, scope: { jobId?: string }, load: () => Promise<void>, onEvent?: (event: FeedEvent) => void,
): { mode: LiveMode; reload: () => void } {
  const [mode, setMode] = useState<LiveMode>('connecting');
  const loadRef = useRef(load);
  loadRef.current = load;
  const eventRef = useRef(onEvent);
  eventRef.current = onEvent;
  const reloadRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    const abort = new AbortController();
    let running = false;
    let again = false;
    const reload = () => {
      if (abort.signal.aborted) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      void loadRef.current().catch(() => undefined).finally(() => {
        running = false;
        if (again) {
          again = false;
          reload();
        }
      });
    };
    reloadRef.current = reload;
    reload();

    let poll: ReturnType<typeof setInterval> | null = null;
    const startPolling = () => {
      if (abort.signal.aborted) return;
      setMode('polling');
      poll = setInterval(reload, POLL_MS);
    };
    void (async () => {
      // The project feed starts where the job views are (system status `projections`): what came before is in the first load.
      let from: string | null = null;
      if (!scope.jobId) {
        const status = await api.getSystemStatus().catch(() => null);
        const checkpoint = status?.projections.find((p) => p.name === 'job_views')?.checkpoint ?? null;
        if (checkpoint === null) return startPolling();
        // Before the first event the checkpoint is below every position ("-1/-1"): follow from the beginning.
        from = FEED_POSITION.test(checkpoint) ? checkpoint : '0/0';
      }
      let failures = 0;
      while (!abort.signal.aborted) {
        try {
          const following = api.followEvents({
            jobId: scope.jobId, from, signal: abort.signal,
            onEvent: (event) => {
              from = event.position;
              failures = 0;
              eventRef.current?.(event);
              reload();
            },
          });
          setMode('live');
          await following;
          if (scope.jobId) {
            // A job's feed ends with the job.
            setMode('ended');
            reload();
            return;
          }
        } catch {
          if (abort.signal.aborted) return;
          failures += 1;
          if (failures >= FAILURES_BEFORE_POLLING) return startPolling();
          setMode('connecting');
        }
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
        reload();
      }
    })();
    return () => {
      abort.abort();
      if (poll) clearInterval(poll);
    };
  }, [api, scope.jobId]);

  return { mode, reload: () => reloadRef.current() };
}
