/**
 * Describes uploaded logs in dataset import processes (dataset-import-process.ts), not in
 * the caller's: reading a large log costs seconds of CPU and hundreds of megabytes, which
 * would stall the API's event loop and stay in its heap. Processes are reused one import at
 * a time each (at most `maxProcesses` at once, further imports wait their turn), retired
 * when their resident memory after an import is above `maxRssBytes`, and stopped once idle
 * for `idleMs`, except the `readyProcesses` kept started: a process takes about 0.2 s to
 * start and load the readers, which an upload then does not wait for. A process that dies
 * fails only the import it was running.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { errorOfIngestFailure, type DatasetDescription, type DescribeRequest } from './dataset-description.js';
import type { ImportMessage, ImportRequest } from './dataset-import-process.js';
import type { FileGrowth } from './growing-file.js';

const IMPORT_PROCESS = fileURLToPath(new URL('./dataset-import-process.js', import.meta.url));

export interface DatasetImporterOptions {
  readonly maxProcesses: number;
  readonly maxRssBytes: number;
  readonly idleMs: number;
  /** Idle processes kept started (0: processes start on demand and an idle importer keeps none). */
  readonly readyProcesses?: number;
  /** Threads of a process that parse a large log's blocks beside its own (default 0: none); a process with them warms them up once started. */
  readonly readThreads?: number;
}

export const DEFAULT_IMPORTER_OPTIONS: DatasetImporterOptions = { maxProcesses: 2, maxRssBytes: 512 * 1024 * 1024, idleMs: 30_000 };

interface PendingImport {
  readonly id: number;
  readonly request: DescribeRequest;
  /** The writer's word on a file still being written, passed on to the process reading it. */
  readonly growth: FileGrowth | undefined;
  resolve(description: DatasetDescription): void;
  reject(error: Error): void;
}

class ImportProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  current: PendingImport | null = null;
  private stopForwardingGrowth: (() => void) | null = null;
  /** Whether it said `ready` (one that dies before is not started again unasked). */
  started = false;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly onDone: (process: ImportProcess, rssBytes: number | null) => void, readThreads: number, warmUp: boolean) {
    this.child = fork(IMPORT_PROCESS, [String(readThreads), warmUp ? 'warm-up' : 'no-warm-up'], {
      execArgv: process.execArgv.filter((flag) => flag.startsWith('--cpu-prof')),
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.ready = new Promise<void>((resolve, reject) => {
      this.child.on('message', (message: ImportMessage) => {
        if (message.kind === 'ready') {
          this.started = true;
          return resolve();
        }
        const pending = this.current;
        if (!pending || pending.id !== message.id) return;
        this.current = null;
        this.stopGrowth();
        if (message.kind === 'described') pending.resolve(message.description);
        else pending.reject(errorOfIngestFailure(message.failure));
        this.onDone(this, message.rssBytes);
      });
      this.child.once('close', (code, signal) => {
        const ended = new Error(`the dataset import process ended (${signal ? `signal ${signal}` : `exit code ${code}`})`);
        reject(ended);
        this.stopIdleTimer();
        this.stopGrowth();
        const pending = this.current;
        this.current = null;
        pending?.reject(ended);
        this.onDone(this, null);
      });
    });
    this.ready.catch(() => undefined); // the import waiting on it hears of it
    this.child.on('error', () => undefined); // a send to a dying process; its 'close' follows
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  start(pending: PendingImport): void {
    this.stopIdleTimer();
    this.current = pending;
    this.ready.then(
      () => {
        if (this.current !== pending) return;
        this.child.send({ kind: 'describe', id: pending.id, request: pending.request, growing: pending.growth !== undefined } satisfies ImportRequest);
        // After the describe, so the process knows the import its notices are for.
        this.stopForwardingGrowth = pending.growth?.follow((notice) => {
          if (this.alive) this.child.send({ kind: 'growth', id: pending.id, notice } satisfies ImportRequest);
        }) ?? null;
      },
      () => undefined,
    );
  }

  private stopGrowth(): void {
    this.stopForwardingGrowth?.();
    this.stopForwardingGrowth = null;
  }

  idleFor(ms: number, retire: () => void): void {
    this.stopIdleTimer();
    this.idleTimer = setTimeout(retire, ms);
    this.idleTimer.unref();
  }

  stop(): void {
    this.stopIdleTimer();
    if (this.alive) this.child.kill('SIGTERM');
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

export class DatasetImporter {
  private readonly processes = new Set<ImportProcess>();
  private readonly idle: ImportProcess[] = [];
  private readonly waiting: PendingImport[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: DatasetImporterOptions = DEFAULT_IMPORTER_OPTIONS) {
    this.keepReady();
  }

  /**
   * Reads the log in an import process; rejects with the ingest's typed errors (ColumnMappingError, …).
   * With `growth` the file is still being written: the process reads it as it arrives, until
   * the writer says it is finished (or abandoned, which fails the import).
   */
  describe(request: DescribeRequest, growth?: FileGrowth): Promise<DatasetDescription> {
    if (this.closed) return Promise.reject(new Error('the dataset importer is closed'));
    return new Promise<DatasetDescription>((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, request, growth, resolve, reject });
      this.dispatch();
    });
  }

  /** Pids of the import processes alive now (for tests and status). */
  get processIds(): number[] {
    return [...this.processes].filter((p) => p.alive && p.child.pid !== undefined).map((p) => p.child.pid!);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.waiting.splice(0)) pending.reject(new Error('the dataset importer is closed'));
    const ending = [...this.processes].map((p) => new Promise<void>((resolve) => {
      if (!p.alive) return resolve();
      p.child.once('close', () => resolve());
      p.stop();
    }));
    await Promise.all(ending);
  }

  private dispatch(keepReady = true): void {
    while (this.waiting.length > 0) {
      const worker = this.idle.pop() ?? (this.processes.size < this.options.maxProcesses ? this.spawn(false) : null);
      if (!worker) break;
      worker.start(this.waiting.shift()!);
    }
    if (keepReady) this.keepReady();
  }

  /**
   * Starts idle processes up to `readyProcesses`, within `maxProcesses`, while no import runs: a
   * process's start (and its warm-up) costs CPU that a running import, or the job after it, would
   * wait for; an upload beside a running one starts a process of its own.
   */
  private keepReady(): void {
    const wanted = this.options.readyProcesses ?? 0;
    while (
      !this.closed && this.waiting.length === 0 && this.idle.length < wanted && this.processes.size < this.options.maxProcesses
      && this.processes.size === this.idle.length
    ) {
      this.idle.push(this.spawn(true));
    }
  }

  /** A new process; one kept ready warms its readers up (one started for a waiting import would only slow that import down). */
  private spawn(warmUp: boolean): ImportProcess {
    const created = new ImportProcess((process, rssBytes) => this.done(process, rssBytes), this.options.readThreads ?? 0, warmUp);
    this.processes.add(created);
    return created;
  }

  private done(process: ImportProcess, rssBytes: number | null): void {
    const index = this.idle.indexOf(process);
    if (index >= 0) this.idle.splice(index, 1);
    const ended = rssBytes === null || !process.alive;
    if (ended) {
      this.processes.delete(process); // ended: replaced on demand
    } else if (rssBytes > this.options.maxRssBytes || this.closed) {
      this.processes.delete(process);
      process.stop();
    } else {
      this.idle.push(process);
      process.idleFor(this.options.idleMs, () => this.retireIdle(process));
    }
    // One that ended before it could even start is not started again unasked (no restart loop).
    this.dispatch(!ended || process.started);
  }

  private retireIdle(process: ImportProcess): void {
    const index = this.idle.indexOf(process);
    if (index < 0 || this.idle.length <= (this.options.readyProcesses ?? 0)) return;
    this.idle.splice(index, 1);
    this.processes.delete(process);
    process.stop();
  }
}
