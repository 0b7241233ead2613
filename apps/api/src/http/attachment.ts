/**
 * `Content-Disposition: attachment` for a download. A name beyond plain ASCII travels as
 * RFC 6266's `filename*` (UTF-8), beside an ASCII `filename` for clients that read only that.
 */
import { create as contentDisposition } from 'content-disposition';

export function attachment(fileName: string, asciiFileName = asciiFallback(fileName)): string {
  return contentDisposition(fileName, { fallback: asciiFileName });
}

/** Accents dropped (é → e), any other character outside printable ASCII replaced by `_`. */
export function asciiFallback(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}+/gu, '').replace(/[^\x20-\x7e]+/g, '_');
}

/**
 * A name made of a free text for a file name: lower case, letters and digits of any script
 * kept, everything else one `-`, at most `maxLength` characters. `ascii` keeps only ASCII
 * letters and digits (accents dropped first), for the ASCII fallback.
 */
export function fileNameSlug(text: string, options: { ascii?: boolean; maxLength?: number } = {}): string {
  const { ascii = false, maxLength = 60 } = options;
  const folded = ascii ? text.normalize('NFKD').replace(/\p{M}+/gu, '') : text.normalize('NFKC');
  const slug = folded.toLowerCase().replace(ascii ? /[^a-z0-9]+/g : /[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '');
  return [...slug].slice(0, maxLength).join('').replace(/-+$/, '');
}
