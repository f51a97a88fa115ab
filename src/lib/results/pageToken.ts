/**
 * The embedded engine's nextToken: an opaque string to clients, an offset into one execution's
 * result to us. A token from another execution, or one that does not decode, is refused.
 */
import { PageTokenError } from '../errors.js';

export const encodePageToken = (executionId: string, offset: number): string =>
  Buffer.from(JSON.stringify({ e: executionId, o: offset })).toString('base64url');

export const decodePageToken = (executionId: string, token: string): number => {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && 'e' in value && 'o' in value) {
      const { e, o } = value as { e: unknown; o: unknown };
      if (e === executionId && typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) return o;
    }
  } catch {
    // falls through to the validation error
  }
  throw new PageTokenError();
};
