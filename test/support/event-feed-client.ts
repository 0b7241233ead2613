/**
 * A Server-Sent Events client for suites and benchmarks: fetch plus a maintained SSE parser
 * (eventsource-parser), recording each message and comment with the time it arrived.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface ReceivedServerSentEvent extends EventSourceMessage {
  readonly receivedAt: number;
}

export interface EventStreamClient {
  readonly status: number;
  readonly contentType: string | null;
  readonly events: ReceivedServerSentEvent[];
  readonly comments: string[];
  /** Resolves when the server ended the stream or `close` was called. */
  readonly ended: Promise<void>;
  /** Called for each message as it arrives. */
  onEvent(listener: (event: ReceivedServerSentEvent) => void): void;
  close(): void;
}

export async function openEventStream(url: string, token: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const events: ReceivedServerSentEvent[] = [];
  const comments: string[] = [];
  const listeners: ((event: ReceivedServerSentEvent) => void)[] = [];
  const parser = createParser({
    onEvent: (message) => {
      const event = { ...message, receivedAt: performance.now() };
      events.push(event);
      for (const listener of listeners) listener(event);
    },
    onComment: (comment) => comments.push(comment.trim()),
  });
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    } catch {
      // aborted by close(), or the connection broke: the stream has ended either way
    }
  })();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    events,
    comments,
    ended,
    onEvent: (listener) => listeners.push(listener),
    close: () => abort.abort(),
  };
}
