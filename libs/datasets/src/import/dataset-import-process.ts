/**
 * Entry of the dataset import process: reads an uploaded log once, describes it and writes
 * it as read for the jobs on it, so the parse and the log's memory (hundreds of megabytes
 * for a large log) stay out of the API process. Long-lived and reused, one import at a time; see DatasetImporter.
 *
 * Protocol over IPC: the process says `ready`; each `describe` is answered by `described`
 * or `refused` with the same id, carrying the process's resident memory afterwards. A
 * `describe` of a file still being written (`growing`) reads it as it arrives, told by the
 * `growth` notices of the same id (FileGrowth) when there is more and when it is complete.
 * With block read threads, a process kept ready warms them and the readers up once started (warm-up.ts).
 */
import { ingestFailureOf, readAndDescribe, type DatasetDescription, type DescribeRequest, type IngestFailure } from './dataset-description.js';
import { FileGrowth, readGrowingFile, type GrowthNotice } from './growing-file.js';
import { warmUpImports } from './warm-up.js';

export type ImportRequest =
  | { readonly kind: 'describe'; readonly id: number; readonly request: DescribeRequest; readonly growing: boolean }
  | { readonly kind: 'growth'; readonly id: number; readonly notice: GrowthNotice };

export type ImportMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'described'; readonly id: number; readonly description: DatasetDescription; readonly rssBytes: number }
  | { readonly kind: 'refused'; readonly id: number; readonly failure: IngestFailure; readonly rssBytes: number };

function send(message: ImportMessage): void {
  process.send!(message);
}

/** Threads that parse a large log's blocks beside this one (the first argument, DatasetImporterOptions.readThreads), and whether to warm them up (the second). */
const readThreads = Math.max(0, Number.parseInt(process.argv[2] ?? '0', 10) || 0);
const warmUp = process.argv[3] === 'warm-up';

/** The growing files being read, by import id. */
const growing = new Map<number, FileGrowth>();

process.on('message', (message: ImportRequest) => {
  if (message.kind === 'growth') {
    growing.get(message.id)?.tell(message.notice);
    return;
  }
  const { id, request } = message;
  let growth: FileGrowth | undefined;
  if (message.growing) {
    growth = new FileGrowth();
    growing.set(id, growth);
  }
  readAndDescribe(request, { ...(growth && { bytes: readGrowingFile(request.path, growth) }), readThreads }).then(
    (description) => send({ kind: 'described', id, description, rssBytes: process.memoryUsage.rss() }),
    (error: unknown) => send({ kind: 'refused', id, failure: ingestFailureOf(error), rssBytes: process.memoryUsage.rss() }),
  ).finally(() => growing.delete(id));
});
// The importer closes the channel to stop an idle process.
process.on('disconnect', () => process.exit(0));
send({ kind: 'ready' });
// Ready for imports at once; the block threads and the readers' code are warmed meanwhile, so the first large upload is read as fast as later ones.
if (readThreads > 0 && warmUp) void warmUpImports(readThreads);
