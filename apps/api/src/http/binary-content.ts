/** OpenAPI `content` of a file download: the same binary schema under each media type it may come as. */
import type { ContentObject } from '@nestjs/swagger';

export function binaryContent(...mediaTypes: readonly string[]): ContentObject {
  return Object.fromEntries(mediaTypes.map((mediaType) => [mediaType, { schema: { type: 'string', format: 'binary' } }]));
}
