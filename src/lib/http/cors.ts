/**
 * Cross-origin calls from internal web tools (TRAILHOUND_CORS_ORIGINS). Only exact origins are
 * listed, never `*`: the answers are incident evidence, and a browser page may read them only when
 * its origin was named. No credentials mode: callers sign with SigV4 (an Authorization header) or
 * send an API key, never cookies, so Access-Control-Allow-Credentials is never sent.
 *
 * The same policy answers everywhere: handlers add the headers to their answers (middleware/cors),
 * the local server answers preflights from it, and the stack plugin gives the deployed API an
 * OPTIONS method per resource that answers the same (deploy/plugins/cors.cjs keeps the lists below).
 */
import { commaList } from '../commaList.js';

/** Request headers a browser may send: SigV4's, the API key, and the ones the API reads. */
export const CORS_ALLOWED_HEADERS = [
  'Accept',
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  // The AWS SDK's SigV4 signer sends the body's hash unless told not to.
  'X-Amz-Content-Sha256',
  'X-Amz-Date',
  'X-Amz-Security-Token',
  'X-Api-Key',
] as const;

/** Answer headers a page may read besides the safelisted ones. */
const CORS_EXPOSED_HEADERS = [
  'Content-Disposition',
  'Link',
  'Location',
  'Retry-After',
  'X-Request-Id',
] as const;

/** How long a browser may keep a preflight's answer, in seconds. */
export const CORS_MAX_AGE_SECONDS = 600;

/** Exact origins: a scheme, a host and an optional port, nothing else. */
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/;

export const CorsOriginsSchema = commaList.refine(
  (entries) => entries.every((entry) => ORIGIN.test(entry) && new URL(entry).origin === entry),
  'each entry an exact origin such as https://console.example.com (lower case, no path, no wildcard)',
);

/** The header value of a request header, whatever its case (API Gateway keeps the caller's). */
export const headerOf = (
  headers: Record<string, string | undefined> | null | undefined,
  name: string,
): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
};

/** The headers that let `origin` read an answer; none when it is not listed. */
export const corsResponseHeaders = (
  allowed: readonly string[],
  origin: string | undefined,
): Record<string, string> => {
  if (allowed.length === 0) return {};
  if (!origin || !allowed.includes(origin)) return { Vary: 'Origin' };
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS.join(', '),
    Vary: 'Origin',
  };
};

/** A preflight's answer headers for a resource that has `methods`. */
export const corsPreflightHeaders = (
  allowed: readonly string[],
  origin: string | undefined,
  methods: readonly string[],
): Record<string, string> => {
  const base = {
    'Access-Control-Allow-Methods': [...methods, 'OPTIONS'].join(', '),
    'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS.join(', '),
    'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
    Vary: 'Origin',
  };
  if (!origin || !allowed.includes(origin)) return base;
  return { ...base, 'Access-Control-Allow-Origin': origin };
};
