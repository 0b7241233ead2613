import type { XesAttributeValue } from './xes-markup-scanner.js';

/** Past this many bytes of distinct values, values are decoded each time rather than remembered. */
const DEFAULT_MAX_POOL_BYTES = 16 * 1024 * 1024;

/**
 * Gives the same string for every value with the same bytes, making a string only the first
 * time: a decoded text depends on the raw bytes alone, so equal bytes mean equal text. For the
 * few distinct values a column such as the activity or the case id has, this spares a string
 * (and its later hash-map lookup by content) per event.
 *
 * `lookup` finds the bytes; on a miss the caller decodes them and hands the text to `remember`,
 * which files it under the bytes of that last lookup. Nothing is allocated per call.
 */
export class ByteInterner {
  private slots = new Int32Array(1024).fill(-1);
  // Per entry (typed arrays: a 32-bit hash is not always a small integer to V8).
  private hashes = new Int32Array(256);
  private starts = new Int32Array(256);
  private lengths = new Int32Array(256);
  private readonly texts: string[] = [];
  private pool = Buffer.alloc(4096);
  private poolUsed = 0;
  // The bytes of the last lookup, for `remember`.
  private lastBytes: Uint8Array = this.pool;
  private lastStart = 0;
  private lastEnd = 0;
  private lastHash = 0;
  /** The entry of the last `lookup` that found its bytes or `remember` that kept them; -1 when not kept. */
  entry = -1;
  /** Entries whose texts `takeNewTexts` gave. */
  private told = 0;

  constructor(private readonly maxPoolBytes = DEFAULT_MAX_POOL_BYTES) {}

  /** The text remembered for `bytes[start, end)`, or undefined (then decode and `remember` it). */
  lookup(bytes: Uint8Array, start: number, end: number): string | undefined {
    let hash = 0x811c9dc5; // FNV-1a
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot];
      if (entry < 0) break;
      if (this.hashes[entry] === hash && this.sameBytes(entry, bytes, start, end)) {
        this.entry = entry;
        return this.texts[entry];
      }
    }
    this.lastBytes = bytes;
    this.lastStart = start;
    this.lastEnd = end;
    this.lastHash = hash;
    return undefined;
  }

  /** Files `text`, the decoding of the bytes of the last `lookup` (which missed), and returns it. */
  remember(text: string): string {
    this.entry = -1;
    if (this.poolUsed + (this.lastEnd - this.lastStart) <= this.maxPoolBytes) this.add(this.lastHash, this.lastBytes, this.lastStart, this.lastEnd, text);
    return text;
  }

  /** Entries kept so far (numbered from 0 in the order they were kept). */
  get size(): number {
    return this.texts.length;
  }

  /** The texts of the entries kept since the last call (for a reader that tells another thread of them). */
  takeNewTexts(): string[] {
    const texts = this.texts.slice(this.told);
    this.told = this.texts.length;
    return texts;
  }

  /** The text of a kept entry. */
  textOf(entry: number): string {
    return this.texts[entry];
  }

  /** An XES attribute value's text. */
  intern(value: XesAttributeValue): string {
    return this.lookup(value.bytes, value.start, value.end) ?? this.remember(value.text());
  }

  private sameBytes(entry: number, bytes: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    if (this.lengths[entry] !== length) return false;
    const pool = this.pool;
    const from = this.starts[entry];
    for (let i = 0; i < length; i++) if (pool[from + i] !== bytes[start + i]) return false;
    return true;
  }

  private add(hash: number, bytes: Uint8Array, start: number, end: number, text: string): void {
    const length = end - start;
    if (this.poolUsed + length > this.pool.length) {
      const larger = Buffer.alloc(Math.max(this.pool.length * 2, this.poolUsed + length));
      this.pool.copy(larger, 0, 0, this.poolUsed);
      this.pool = larger;
    }
    this.pool.set(bytes.subarray(start, end), this.poolUsed);
    const entry = this.texts.length;
    if (entry === this.hashes.length) {
      this.hashes = grown(this.hashes);
      this.starts = grown(this.starts);
      this.lengths = grown(this.lengths);
    }
    this.hashes[entry] = hash;
    this.starts[entry] = this.poolUsed;
    this.lengths[entry] = length;
    this.texts.push(text);
    this.entry = entry;
    this.poolUsed += length;
    if (2 * this.texts.length > this.slots.length) this.rehash();
    else this.place(entry);
  }

  private place(entry: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[entry] & mask;
    while (this.slots[slot] >= 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let entry = 0; entry < this.texts.length; entry++) this.place(entry);
  }
}

function grown(values: Int32Array): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(2 * values.length);
  larger.set(values);
  return larger;
}
