/**
 * Passes an upload through unchanged while, if it is gzip, inflating it on the side only
 * to count the bytes: a gzip bomb is refused (413) while it is still arriving, not after
 * it has been stored. Corrupt gzip is left for ingestion to report as a malformed log.
 */
import { Transform } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { PayloadTooLargeException } from '@nestjs/common';

/**
 * Inflated bytes per output chunk. zlib's default (16 KiB) hands back ~4,600 chunks for BPI
 * Challenge 2012's 74 MB, each a thread-pool round trip: 5–6× the CPU and wall time of 1 MiB.
 */
const INFLATE_CHUNK_BYTES = 1 << 20;

export function inflatedSizeLimit(maxInflatedBytes: number): Transform {
  let inflater: Gunzip | null = null;
  let decided = false;
  let inflated = 0;
  /** The chunk waiting for the inflater to take it; released once, whichever way the inflater goes. */
  let release: (() => void) | null = null;
  const releasePending = () => {
    const pending = release;
    release = null;
    pending?.();
  };
  const startInflating = () => {
    inflater = createGunzip({ chunkSize: INFLATE_CHUNK_BYTES });
    inflater.on('data', (piece: Buffer) => (inflated += piece.length));
    // Not ours to judge: ingestion reads the stored file and names the problem.
    inflater.on('error', () => {
      inflater = null;
      releasePending();
    });
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (!decided) {
        decided = true;
        if (chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) startInflating();
      }
      release = () => {
        if (inflated > maxInflatedBytes) {
          inflater?.destroy();
          inflater = null;
          callback(new PayloadTooLargeException(
            `Event log too large: the gzipped event log inflates to more than ${maxInflatedBytes} bytes (the limit); the service's MAX_DECOMPRESSED_MB sets it`,
          ));
        } else callback(null, chunk);
      };
      if (inflater === null) releasePending();
      else inflater.write(chunk, releasePending);
    },
    flush(callback) {
      inflater?.destroy();
      callback();
    },
  });
}
