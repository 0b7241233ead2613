/**
 * Block parsers of one read, each on a thread of its own (block-thread.ts): long-lived
 * threads, started on first use and shared by the reads of the process, each serving any
 * number of reads (a parser per read, by id). A block's bytes move to the thread and come
 * back with its records, so the reader can parse them again itself when the block turns out
 * not to have started where a block may start. Where the thread's compiled entry is not
 * beside this module (the sources run directly, as in the unit tests), the blocks are parsed
 * on the calling thread, through the same parsers.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requestThread, type ThreadRequest } from '../threads/request-thread.js';
import { CsvBlockParser, transferablesOf, type CsvBlockRecords, type CsvLayout } from './csv-blocks.js';
import { XesBlockParser, xesTransferablesOf, type XesBlockRecords } from './xes-blocks.js';
import { XesMarkupError } from './xes-markup-scanner.js';

/** What a read's parsers are made from: a CSV's layout, or the root element an XES document's blocks sit in. */
export type BlockFormat = { readonly kind: 'csv'; readonly layout: CsvLayout } | { readonly kind: 'xes'; readonly root: string };

type RecordsOf<F extends BlockFormat> = F extends { kind: 'csv' } ? CsvBlockRecords : XesBlockRecords;

export type BlockRequest =
  | { readonly op: 'open'; readonly read: number; readonly format: BlockFormat }
  | { readonly op: 'parse'; readonly read: number; readonly chunks: readonly Uint8Array[]; readonly final: boolean }
  | { readonly op: 'close'; readonly read: number };

/**
 * A parsed block and its bytes back. A CSV block's `rest` are the bytes after its last
 * complete record (none for the final block). An XES block `endsBetweenRootChildren` when its
 * markup is well-formed and ends where the next block may start (otherwise the reader parses
 * it again itself: for the error at its true position, say); `characters` it then holds.
 */
export interface ParsedBlock<R> {
  readonly records: R;
  readonly rest: Uint8Array | null;
  readonly endsBetweenRootChildren: boolean;
  readonly characters: number;
  readonly chunks: readonly Uint8Array[];
}

export interface BlockReader<R> {
  /** Parses a block (its chunks, in order) that starts where blocks may start (or is taken to); `final` when it ends the file. */
  parse(chunks: readonly Buffer[], final: boolean): Promise<ParsedBlock<R>>;
  /** Forgets the read's parser (blocks asked for before are still answered). */
  close(): void;
}

const BLOCK_THREAD = fileURLToPath(new URL('./block-thread.js', import.meta.url));

type Parser = { readonly kind: 'csv'; readonly parser: CsvBlockParser } | { readonly kind: 'xes'; readonly parser: XesBlockParser };

/** The parsers of the reads a thread serves. */
const parsersOfReads = new Map<number, Parser>();

function parserOf(format: BlockFormat): Parser {
  return format.kind === 'csv' ? { kind: 'csv', parser: new CsvBlockParser(format.layout) } : { kind: 'xes', parser: new XesBlockParser(format.root) };
}

/** The thread side: one request. */
export function handleBlockRequest(request: BlockRequest): ParsedBlock<CsvBlockRecords | XesBlockRecords> | null {
  if (request.op === 'open') {
    parsersOfReads.set(request.read, parserOf(request.format));
    return null;
  }
  if (request.op === 'close') {
    parsersOfReads.delete(request.read);
    return null;
  }
  const parser = parsersOfReads.get(request.read);
  if (parser === undefined) throw new Error(`no read ${request.read} on this thread`);
  return parseBlock(parser, request.chunks.map(asBuffer), request.final);
}

export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** What moves back with a parsed block: its records' arrays and its chunks. */
export function transferablesOfBlock(parsed: ParsedBlock<CsvBlockRecords | XesBlockRecords> | null): ArrayBuffer[] {
  if (parsed === null) return [];
  const records = 'traceCount' in parsed.records ? xesTransferablesOf(parsed.records) : transferablesOf(parsed.records);
  return [...records, ...parsed.chunks.map((chunk) => chunk.buffer as ArrayBuffer)];
}

/** Parses one block from where blocks start: its end is taken, so the next block starts afresh. */
function parseBlock(parser: Parser, chunks: readonly Buffer[], final: boolean): ParsedBlock<CsvBlockRecords | XesBlockRecords> {
  if (parser.kind === 'csv') {
    const records = parser.parser.parse(chunks, final);
    return { records, rest: parser.parser.takeRest(), endsBetweenRootChildren: true, characters: 0, chunks };
  }
  const xes = parser.parser;
  const charactersBefore = xes.charactersRead;
  try {
    const records = xes.parse(chunks, final);
    const endsBetweenRootChildren = final || xes.betweenRootChildren;
    const characters = xes.charactersRead - charactersBefore;
    if (!endsBetweenRootChildren) xes.restart();
    return { records, rest: null, endsBetweenRootChildren, characters, chunks };
  } catch (error) {
    if (!(error instanceof XesMarkupError)) throw error;
    const records = xes.take();
    xes.restart();
    return { records, rest: null, endsBetweenRootChildren: false, characters: 0, chunks };
  }
}

let threads: ThreadRequest<BlockRequest, ParsedBlock<CsvBlockRecords | XesBlockRecords> | null>[] = [];
let nextRead = 0;

/** `count` block readers for a read of `format`, each its own parser (on its own thread where one can run). */
export function openBlockReaders<F extends BlockFormat>(format: F, count: number): BlockReader<RecordsOf<F>>[] {
  if (!existsSync(BLOCK_THREAD)) return Array.from({ length: count }, () => readerOnThisThread(format));
  while (threads.length < count) threads = [...threads, requestThread(BLOCK_THREAD, 'block read thread')];
  return threads.slice(0, count).map((thread) => readerOnThread(thread, format));
}

function readerOnThread<F extends BlockFormat>(
  thread: ThreadRequest<BlockRequest, ParsedBlock<CsvBlockRecords | XesBlockRecords> | null>, format: F,
): BlockReader<RecordsOf<F>> {
  const read = nextRead++;
  const opened = thread({ op: 'open', read, format });
  opened.catch(() => undefined); // a failed thread fails the first block's parse too
  return {
    parse: async (chunks, final) => {
      await opened;
      // The block's chunks hold memory of their own (see BlockedRead): it moves to the thread and back.
      const parsed = await thread({ op: 'parse', read, chunks, final }, chunks.map((chunk) => chunk.buffer as ArrayBuffer));
      return parsed as ParsedBlock<RecordsOf<F>>;
    },
    close: () => void thread({ op: 'close', read }).catch(() => undefined),
  };
}

function readerOnThisThread<F extends BlockFormat>(format: F): BlockReader<RecordsOf<F>> {
  const parser = parserOf(format);
  return {
    parse: (chunks, final) => Promise.resolve(parseBlock(parser, chunks, final) as ParsedBlock<RecordsOf<F>>),
    close: () => undefined,
  };
}
