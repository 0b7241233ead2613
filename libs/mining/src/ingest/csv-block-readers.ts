/**
 * Block parsers of one CSV read, each on a thread of its own (csv-block-thread.ts): long-lived
 * threads, started on first use and shared by the reads of the process, each serving any
 * number of reads (a parser per read, by id). A block's bytes move to the thread and come
 * back with its records, so the reader can parse them again itself when a block turns out
 * to have started inside a record. Where the thread's compiled entry is not beside this
 * module (the sources run directly, as in the unit tests), the blocks are parsed on the
 * calling thread, through the same parsers.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requestThread, type ThreadRequest } from '../threads/request-thread.js';
import { CsvBlockParser, transferablesOf, type CsvBlockRecords, type CsvLayout } from './csv-blocks.js';

export type CsvBlockRequest =
  | { readonly op: 'open'; readonly read: number; readonly layout: CsvLayout }
  | { readonly op: 'parse'; readonly read: number; readonly bytes: Uint8Array; readonly final: boolean }
  | { readonly op: 'close'; readonly read: number };

/** A block's records, the bytes after its last complete record (none for the final block), and its bytes back. */
export interface ParsedCsvBlock {
  readonly records: CsvBlockRecords;
  readonly rest: Uint8Array | null;
  readonly bytes: Uint8Array;
}

export interface CsvBlockReader {
  /** Parses a block that starts at a record (or is taken to); `final` when it ends the file. */
  parse(bytes: Buffer, final: boolean): Promise<ParsedCsvBlock>;
  /** Forgets the read's parser (blocks asked for before are still answered). */
  close(): void;
}

const CSV_BLOCK_THREAD = fileURLToPath(new URL('./csv-block-thread.js', import.meta.url));

/** The parsers of the reads a thread serves. */
const parsersOfReads = new Map<number, CsvBlockParser>();

/** The thread side: one request. */
export function handleCsvBlockRequest(request: CsvBlockRequest): ParsedCsvBlock | null {
  if (request.op === 'open') {
    parsersOfReads.set(request.read, new CsvBlockParser(request.layout));
    return null;
  }
  if (request.op === 'close') {
    parsersOfReads.delete(request.read);
    return null;
  }
  const parser = parsersOfReads.get(request.read);
  if (parser === undefined) throw new Error(`no CSV read ${request.read} on this thread`);
  return parseBlock(parser, Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength), request.final);
}

/** What moves back with a parsed block: its records' arrays and its bytes. */
export function transferablesOfBlock(parsed: ParsedCsvBlock | null): ArrayBuffer[] {
  return parsed === null ? [] : [...transferablesOf(parsed.records), parsed.bytes.buffer as ArrayBuffer];
}

/** Parses one block from a record start: its own rest is taken, so the next block starts afresh. */
function parseBlock(parser: CsvBlockParser, bytes: Buffer, final: boolean): ParsedCsvBlock {
  const records = parser.parse(bytes, final);
  return { records, rest: parser.takeRest(), bytes };
}

let threads: ThreadRequest<CsvBlockRequest, ParsedCsvBlock | null>[] = [];
let nextRead = 0;

/** `count` block readers for a read with `layout`, each its own parser (on its own thread where one can run). */
export function openCsvBlockReaders(layout: CsvLayout, count: number): CsvBlockReader[] {
  if (!existsSync(CSV_BLOCK_THREAD)) return Array.from({ length: count }, () => readerOnThisThread(layout));
  while (threads.length < count) threads = [...threads, requestThread<CsvBlockRequest, ParsedCsvBlock | null>(CSV_BLOCK_THREAD, 'CSV block thread')];
  return threads.slice(0, count).map((thread) => readerOnThread(thread, layout));
}

function readerOnThread(thread: ThreadRequest<CsvBlockRequest, ParsedCsvBlock | null>, layout: CsvLayout): CsvBlockReader {
  const read = nextRead++;
  const opened = thread({ op: 'open', read, layout });
  opened.catch(() => undefined); // a failed thread fails the first block's parse too
  return {
    parse: async (bytes, final) => {
      await opened;
      // The block was made for this request: its memory moves to the thread and back.
      const parsed = await thread({ op: 'parse', read, bytes, final }, [bytes.buffer as ArrayBuffer]);
      return parsed!;
    },
    close: () => void thread({ op: 'close', read }).catch(() => undefined),
  };
}

function readerOnThisThread(layout: CsvLayout): CsvBlockReader {
  const parser = new CsvBlockParser(layout);
  return {
    parse: (bytes, final) => Promise.resolve(parseBlock(parser, bytes, final)),
    close: () => undefined,
  };
}
