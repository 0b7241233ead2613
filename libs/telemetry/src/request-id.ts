/** The request id: taken from `X-Request-Id` when the client sends a well-formed one, else generated. */
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';
/** Printable, no spaces or quotes: safe to echo in a header and to log; long enough for a UUID or a trace id with a prefix. */
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:\-/+=@]{1,128}$/;

export type RequestIdOutcome = { readonly requestId: string } | { readonly invalid: string };

export function requestIdOf(header: string | string[] | undefined): RequestIdOutcome {
  if (header === undefined || header === '') return { requestId: randomUUID() };
  if (typeof header !== 'string') return { invalid: 'X-Request-Id must be sent once' };
  if (!WELL_FORMED_REQUEST_ID.test(header)) {
    return { invalid: 'X-Request-Id must be 1 to 128 characters of letters, digits and . _ : - / + = @' };
  }
  return { requestId: header };
}
