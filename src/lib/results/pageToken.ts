/**
 * The API's nextTokens: opaque strings to clients (base64url of a JSON cursor), a cursor to the
 * code that wrote them. A token that does not decode to the cursor its schema describes is refused
 * with PageTokenError. The embedded engine's result pages (an offset into one execution's result)
 * and both engines' execution listings use it.
 */
import { z } from 'zod';
import { PageTokenError } from '../errors.js';

export const encodeToken = (cursor: unknown): string =>
  Buffer.from(JSON.stringify(cursor)).toString('base64url');

/** @param refused what the token was given for, for the error: `this listing`. */
export const decodeToken = <T>(token: string, schema: z.ZodType<T>, refused?: string): T => {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // falls through to the validation error
  }
  throw new PageTokenError(refused);
};

export const encodePageToken = (executionId: string, offset: number): string =>
  encodeToken({ e: executionId, o: offset });

/** One schema for every page token (a schema made for each token is compiled for each one). */
const PageCursorSchema = z.object({ e: z.string(), o: z.number().int().nonnegative() });

export const decodePageToken = (executionId: string, token: string): number => {
  const cursor = decodeToken(token, PageCursorSchema);
  if (cursor.e !== executionId) throw new PageTokenError();
  return cursor.o;
};
