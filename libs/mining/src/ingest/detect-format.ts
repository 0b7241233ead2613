import type { DatasetFormat } from '../job-execution.contract.js';

/**
 * Decides the format of an uploaded event log. Content wins over the name: gzip magic bytes
 * mean gzipped XES, a document starting with `<` (`<?xml`, `<log`, after an optional BOM and
 * whitespace) means XES. Otherwise the extension decides, defaulting to CSV.
 */
export function detectFormat(fileName: string, firstBytes: Buffer): DatasetFormat {
  if (firstBytes.length >= 2 && firstBytes[0] === 0x1f && firstBytes[1] === 0x8b) return 'xes.gz';
  let position = 0;
  if (firstBytes.length >= 3 && firstBytes[0] === 0xef && firstBytes[1] === 0xbb && firstBytes[2] === 0xbf) position = 3;
  while (position < firstBytes.length && (firstBytes[position] === 0x20 || firstBytes[position] === 0x09 || firstBytes[position] === 0x0a || firstBytes[position] === 0x0d)) {
    position++;
  }
  if (position < firstBytes.length && firstBytes[position] === 0x3c /* < */) return 'xes';
  const lowerName = fileName.toLowerCase();
  if (lowerName.endsWith('.xes.gz')) return 'xes.gz';
  if (lowerName.endsWith('.xes')) return 'xes';
  return 'csv';
}
