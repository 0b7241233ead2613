import { constants, gunzipSync } from 'node:zlib';
import type { DatasetFormat } from '../job-execution.contract.js';

const GZIP_MAGIC = [0x1f, 0x8b] as const;

function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/** Whether the text starts with `<` (`<?xml`, `<log`) after an optional BOM and whitespace. */
function startsLikeXml(bytes: Buffer): boolean {
  let position = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) position = 3;
  while (position < bytes.length && (bytes[position] === 0x20 || bytes[position] === 0x09 || bytes[position] === 0x0a || bytes[position] === 0x0d)) {
    position++;
  }
  return position < bytes.length && bytes[position] === 0x3c /* < */;
}

/**
 * The start of a gzip stream inflated as far as the given bytes go (a partial stream is
 * expected here: only the file's first bytes are read). Empty when it is not valid gzip.
 */
function inflatedPrefix(compressed: Buffer): Buffer {
  try {
    return gunzipSync(compressed, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return Buffer.alloc(0);
  }
}

/**
 * Decides the format of an uploaded event log. Content wins over the name: a document
 * starting with `<` (after an optional BOM and whitespace) is XES; gzip magic bytes mean a
 * gzipped log, XES when its inflated start looks like XML and CSV otherwise. Without either,
 * the extension decides, defaulting to CSV.
 */
export function detectFormat(fileName: string, firstBytes: Buffer): DatasetFormat {
  const lowerName = fileName.toLowerCase();
  if (isGzip(firstBytes)) {
    const text = inflatedPrefix(firstBytes);
    if (text.length === 0) return lowerName.endsWith('.csv.gz') ? 'csv.gz' : 'xes.gz'; // unreadable: the ingest reports it
    return startsLikeXml(text) ? 'xes.gz' : 'csv.gz';
  }
  if (startsLikeXml(firstBytes)) return 'xes';
  if (lowerName.endsWith('.xes.gz')) return 'xes.gz';
  if (lowerName.endsWith('.csv.gz')) return 'csv.gz';
  if (lowerName.endsWith('.xes')) return 'xes';
  return 'csv';
}

/** Whether files of the format are gzip streams. */
export function isGzippedFormat(format: DatasetFormat): boolean {
  return format === 'xes.gz' || format === 'csv.gz';
}
