/**
 * Length of the prefix of `bytes[0, length)` that ends on a character boundary: a reader of
 * UTF-8 chunks keeps the bytes of a character split across chunks for the next one.
 */
export function completeCharactersEnd(bytes: Uint8Array, length = bytes.length): number {
  // Walk back over at most 3 continuation bytes to the lead byte of the last character.
  for (let back = 1; back <= 4 && back <= length; back++) {
    const byte = bytes[length - back];
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    if (byte < 0x80) return length; // ASCII: complete
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return needed > back ? length - back : length;
  }
  return length;
}
