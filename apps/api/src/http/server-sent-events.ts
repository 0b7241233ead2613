/**
 * Writing a Server-Sent Events response (text/event-stream) on a raw Node response: the
 * headers, one `id`/`event`/`data` block per message, comment heartbeats, back-pressure
 * and clean-up. Knows nothing of what is streamed; any follower of live data can use it.
 */
import type { ServerResponse } from 'node:http';

export interface ServerSentEventOptions {
  /** A comment line is written this often, so proxies and clients see a live connection. */
  readonly heartbeatMs: number;
  /**
   * Bytes the socket may hold unsent before `send` refuses more (a slow client): the
   * caller then ends the stream and the client resumes with Last-Event-ID.
   */
  readonly maxBufferedBytes?: number;
  /** Sent once as `retry:`: how long a client waits before reconnecting. */
  readonly retryMs?: number;
}

export interface ServerSentEvent {
  readonly id?: string;
  readonly event?: string;
  /** Written as one or more `data:` lines. */
  readonly data: string;
}

const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export class ServerSentEventStream {
  private readonly heartbeat: NodeJS.Timeout;
  private readonly maxBufferedBytes: number;
  private ended = false;
  private readonly closeListeners = new Set<() => void>();

  constructor(private readonly response: ServerResponse, options: ServerSentEventOptions) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // Reverse proxies (nginx) would otherwise buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    response.write(options.retryMs !== undefined ? `retry: ${options.retryMs}\n\n` : ': connected\n\n');
    this.heartbeat = setInterval(() => this.comment('heartbeat'), options.heartbeatMs);
    this.heartbeat.unref();
    response.once('close', () => this.end());
  }

  /** True once the client left or `end` was called. */
  get closed(): boolean {
    return this.ended;
  }

  /**
   * Writes one event. Returns false when the client is gone or reads too slowly (more than
   * `maxBufferedBytes` waiting): nothing is written then, and the caller should `end`.
   */
  send(message: ServerSentEvent): boolean {
    if (this.ended || this.response.writableLength > this.maxBufferedBytes) return false;
    let block = '';
    if (message.id !== undefined) block += `id: ${singleLine(message.id)}\n`;
    if (message.event !== undefined) block += `event: ${singleLine(message.event)}\n`;
    for (const line of message.data.split(/\r\n|\r|\n/)) block += `data: ${line}\n`;
    this.response.write(block + '\n');
    return true;
  }

  /** Resolves when the socket has room again (or the stream ended): for a producer that can wait. */
  writable(): Promise<void> {
    if (this.ended || !this.response.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.closeListeners.delete(done);
        resolve();
      };
      this.response.on('drain', done);
      this.closeListeners.add(done);
    });
  }

  comment(text: string): void {
    if (this.ended) return;
    this.response.write(`: ${singleLine(text)}\n\n`);
  }

  /** Called once, when the stream ends for any reason (client gone, `end`, server stopping). */
  onClose(listener: () => void): void {
    if (this.ended) listener();
    else this.closeListeners.add(listener);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.heartbeat);
    if (!this.response.writableEnded) this.response.end();
    for (const listener of [...this.closeListeners]) listener();
    this.closeListeners.clear();
  }
}

function singleLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
