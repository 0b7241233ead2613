/**
 * A log read in blocks, on block threads beside this one (see ADR 0010). The bytes are pushed
 * as they arrive. Until there is more than a block they are kept; a small file is then read
 * here alone. A large one is cut into blocks where a block may start (a CSV at a line feed,
 * an XES document before a `<trace`), parsed by the block readers in turn (at most two blocks
 * in flight per reader) and merged in file order. Whether a block really started there is
 * known once the blocks before it are merged: this thread's own parser then stands at such a
 * place, or it does not (a line feed inside a quoted field, a `<trace` inside a comment). A
 * block that did not is parsed again here, and so are the ones after it until the own parser
 * stands at such a place again. So the records are the one-thread read's wherever the cuts fall.
 */
import { asBuffer, openBlockReaders, type BlockReader, type ParsedBlock } from './block-readers.js';
import type { CsvBlockMerger, CsvBlockParser, CsvBlockRecords, CsvLayout } from './csv-blocks.js';
import type { XesBlockMerger, XesBlockParser, XesBlockRecords } from './xes-blocks.js';

/** How a log's records are parsed: by how many block threads (0: on this thread alone), in blocks of about how many bytes. */
export interface BlockReading {
  readonly threads: number;
  readonly blockBytes: number;
}

abstract class BlockedRead<R> {
  private readers: BlockReader<R>[] | null = null;
  private nextReader = 0;
  private readonly inFlight: { readonly reader: number; readonly parsed: Promise<ParsedBlock<R>>; readonly final: boolean }[] = [];
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  /** The number of this thread's own parser among the parsers whose entries are merged. */
  protected readonly ownNumber: number;

  constructor(private readonly reading: BlockReading) {
    this.ownNumber = reading.threads;
  }

  /** Where the first block may be cut: after the first `limit` waiting bytes, near them, or -1 when there is no such place yet. */
  protected abstract cutNear(waiting: readonly Buffer[], limit: number): number;
  /** The `limit` of the first cut, before any block went to a reader (what this thread must read first). */
  protected abstract firstCutLimit(blockBytes: number): number;
  /** Parses chunks on this thread (after what it parsed before) and merges their records. */
  protected abstract readHere(chunks: readonly Buffer[], final: boolean): void;
  /** Whether the bytes read here so far end where a block may start, so that the next block can go to a reader. */
  protected abstract get canHandOver(): boolean;
  protected abstract openReaders(count: number): BlockReader<R>[];
  /** Merges a reader's block, or parses its bytes again here when it did not start, or end, where it should. */
  protected abstract mergeParsed(reader: number, parsed: ParsedBlock<R>, final: boolean): void;

  async push(bytes: Buffer): Promise<void> {
    if (this.reading.threads < 1) return this.readHere([bytes], false);
    this.waiting.push(bytes);
    this.waitingBytes += bytes.length;
    while (this.waitingBytes >= this.reading.blockBytes) {
      const cut = this.cutNear(this.waiting, this.readers === null ? this.firstCutLimit(this.reading.blockBytes) : this.reading.blockBytes);
      // No place to cut for a while (one huge record, lone CR line ends): the bytes go anyway, the parse tells.
      if (cut < 0 && this.waitingBytes < 4 * this.reading.blockBytes) return;
      await this.dispatch(this.takeWaiting(cut < 0 ? this.waitingBytes : cut), false);
    }
  }

  async end(): Promise<void> {
    try {
      if (this.readers === null) {
        this.readHere(this.waiting, true);
        return;
      }
      await this.dispatch(this.takeWaiting(this.waitingBytes), true);
      while (this.inFlight.length > 0) await this.mergeNext();
    } finally {
      this.close();
    }
  }

  /** Lets the readers go (on a failed read, too: their parsers are forgotten, their pending answers ignored). */
  close(): void {
    for (const { parsed } of this.inFlight) parsed.catch(() => undefined);
    this.readers?.forEach((reader) => reader.close());
  }

  private async dispatch(block: Buffer[], final: boolean): Promise<void> {
    if (this.readers === null) {
      if (!this.canHandOver) return this.readHere(block, final);
      this.readers = this.openReaders(this.reading.threads);
    }
    const reader = this.nextReader;
    this.nextReader = (reader + 1) % this.readers.length;
    this.inFlight.push({ reader, parsed: this.readers[reader]!.parse(block, final), final });
    while (this.inFlight.length > 2 * this.readers.length) await this.mergeNext();
  }

  private async mergeNext(): Promise<void> {
    const { reader, parsed, final } = this.inFlight.shift()!;
    this.mergeParsed(reader, await parsed, final);
  }

  /**
   * The first `length` waiting bytes as a block of chunks that each hold memory of their own
   * (they move to a thread): a chunk that is all of its memory as it is, other bytes copied
   * (a chunk cut by the block's end, or a view into memory its source may fill further).
   */
  private takeWaiting(length: number): Buffer[] {
    const block: Buffer[] = [];
    let copied: Buffer[] = [];
    let copiedBytes = 0;
    const copyOut = (): void => {
      if (copiedBytes === 0) return;
      const copy = Buffer.from(new ArrayBuffer(copiedBytes));
      let at = 0;
      for (const part of copied) {
        copy.set(part, at);
        at += part.length;
      }
      block.push(copy);
      copied = [];
      copiedBytes = 0;
    };
    let taken = 0;
    while (taken < length) {
      const chunk = this.waiting[0]!;
      const part = Math.min(chunk.length, length - taken);
      if (part === chunk.length) {
        this.waiting.shift();
        if (ownsItsMemory(chunk)) {
          copyOut();
          block.push(chunk);
        } else {
          copied.push(chunk);
          copiedBytes += part;
        }
      } else {
        copied.push(chunk.subarray(0, part));
        copiedBytes += part;
        this.waiting[0] = chunk.subarray(part);
      }
      taken += part;
    }
    copyOut();
    this.waitingBytes -= length;
    return block;
  }
}

/** Whether a chunk is all of its ArrayBuffer (not a slice of a pool or of a buffer its source writes on into). */
function ownsItsMemory(chunk: Buffer): boolean {
  return chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && !(chunk.buffer instanceof SharedArrayBuffer);
}

const LINE_FEED = 10;

/** The records after a CSV's header. A block starts at a record: the own parser has no unfinished record kept. */
export class CsvRows extends BlockedRead<CsvBlockRecords> {
  constructor(private readonly own: CsvBlockParser, private readonly merger: CsvBlockMerger, private readonly layout: CsvLayout, reading: BlockReading) {
    super(reading);
  }

  protected cutNear(waiting: readonly Buffer[], limit: number): number {
    // After the last line feed within the limit, else after the first one past it.
    let offset = 0;
    let lastBefore = -1;
    for (const chunk of waiting) {
      if (offset >= limit) {
        const at = chunk.indexOf(LINE_FEED);
        if (at >= 0) return offset + at + 1;
      } else {
        const at = chunk.lastIndexOf(LINE_FEED, limit - offset - 1);
        if (at >= 0) lastBefore = offset + at + 1;
        if (offset + chunk.length >= limit && lastBefore >= 0) return lastBefore;
        if (offset + chunk.length > limit) {
          const after = chunk.indexOf(LINE_FEED, limit - offset);
          if (after >= 0) return offset + after + 1;
        }
      }
      offset += chunk.length;
    }
    return lastBefore;
  }

  protected firstCutLimit(blockBytes: number): number {
    return blockBytes; // the header was read before: the first block can go to a reader
  }

  protected readHere(chunks: readonly Buffer[], final: boolean): void {
    this.merger.merge(this.ownNumber, this.own.parse(chunks, final));
  }

  protected get canHandOver(): boolean {
    return !this.own.hasRest;
  }

  protected openReaders(count: number): BlockReader<CsvBlockRecords>[] {
    return openBlockReaders({ kind: 'csv', layout: this.layout }, count);
  }

  protected mergeParsed(reader: number, { records, rest, chunks }: ParsedBlock<CsvBlockRecords>, final: boolean): void {
    if (this.own.hasRest) {
      // The block before was cut inside a record, so this one's parse started in the middle of one.
      this.merger.learnEntries(reader, records);
      this.readHere(chunks.map(asBuffer), final);
      return;
    }
    this.merger.merge(reader, records);
    // A cut inside a quoted line break: the unfinished record waits here for the next block's bytes.
    if (rest !== null && rest.length > 0) this.readHere([asBuffer(rest)], false);
  }
}

const TRACE_START = Buffer.from('<trace');

/** Whether `byte` may follow an element name in a tag (white space, `>`, `/`). */
function endsTagName(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x3e || byte === 0x2f;
}

/** An XES document. A block starts between two children of the root, before a `<trace`. */
export class XesTraces extends BlockedRead<XesBlockRecords> {
  constructor(private readonly own: XesBlockParser, private readonly merger: XesBlockMerger, reading: BlockReading) {
    super(reading);
  }

  protected cutNear(waiting: readonly Buffer[], limit: number): number {
    // Before the first `<trace` tag past the limit (one split over two chunks is passed over).
    let offset = 0;
    for (let i = 0; i < waiting.length; i++) {
      const chunk = waiting[i]!;
      for (let from = Math.max(0, limit - offset); from < chunk.length;) {
        const at = chunk.indexOf(TRACE_START, from);
        if (at < 0) break;
        const after = at + TRACE_START.length;
        const next = after < chunk.length ? chunk[after] : waiting[i + 1]?.[0];
        if (next !== undefined && endsTagName(next)) return offset + at;
        from = after;
      }
      offset += chunk.length;
    }
    return -1;
  }

  protected firstCutLimit(): number {
    // Before the first trace: this thread reads the log's header alone, the readers the traces. Past
    // the first byte, so that every cut takes some bytes (a `<trace` in a comment may come first).
    return 1;
  }

  protected readHere(chunks: readonly Buffer[], final: boolean): void {
    this.merger.merge(this.ownNumber, this.own.parse(chunks, final));
  }

  protected get canHandOver(): boolean {
    return this.own.rootName !== undefined && this.own.betweenRootChildren;
  }

  protected openReaders(count: number): BlockReader<XesBlockRecords>[] {
    return openBlockReaders({ kind: 'xes', root: this.own.rootName! }, count);
  }

  protected mergeParsed(reader: number, parsed: ParsedBlock<XesBlockRecords>, final: boolean): void {
    if (!this.own.betweenRootChildren || !parsed.endsBetweenRootChildren) {
      // Started or ended elsewhere (a `<trace` in a comment, one nested deeper), or not well-formed: read here, where errors get their true position.
      this.merger.learnEntries(reader, parsed.records);
      this.readHere(parsed.chunks.map(asBuffer), final);
      return;
    }
    this.merger.merge(reader, parsed.records);
    this.own.skip(parsed.characters);
  }
}
