/**
 * HTTP to the trailhound API: JSON in and out, SigV4 for an AWS endpoint, and every failure turned
 * into the CLI error that says what happened: a 4xx problem document into ApiRefusedError; a 5xx,
 * a connection that fails, an answer too slow, too large or not of the shape asked for into
 * EndpointUnavailableError (exit 5, one line).
 */
import type { z } from 'zod';
import { LinkAnswer } from './answers.js';
import { ApiRefusedError, EndpointUnavailableError } from './errors.js';
import type { RequestSigner } from './requestSigner.js';

// A start waits up to 20 s on the server (?wait=20); anything far slower than that is lost.
const DEFAULT_TIMEOUT_MS = 60_000;
/** The largest JSON answer read: a page of 1,000 rows is a few MB; more is not an answer of ours. */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

interface ApiAnswer<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** What the answer's body must be: a schema (the CLI's reading of the answer), or anything. */
type Shape<T> = z.ZodType<T> | undefined;

export interface ApiClient {
  readonly endpoint: URL;
  get<T = unknown>(path: string, shape?: Shape<T>): Promise<ApiAnswer<T>>;
  post<T = unknown>(path: string, body: unknown, shape?: Shape<T>): Promise<ApiAnswer<T>>;
  delete<T = unknown>(path: string, shape?: Shape<T>): Promise<ApiAnswer<T>>;
  /** Where a redirecting route (a 303) points, resolved against the endpoint. */
  redirectOf(path: string): Promise<URL>;
  /** A link the API handed out (already signed in its URL): fetched as is, never SigV4-signed. */
  download(url: URL): Promise<Response>;
}

interface ProblemDocument {
  readonly title?: string;
  readonly detail?: string;
  readonly message?: string;
  readonly requestId?: string;
  readonly errors?: readonly { readonly pointer: string; readonly detail: string }[];
}

/** The body's text, at most MAX_ANSWER_BYTES of it: a larger one is refused as it arrives. */
const readText = async (response: Response, url: URL): Promise<string> => {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) {
      await response.body.cancel().catch(() => undefined);
      throw new EndpointUnavailableError(
        `${url.host} answered more than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB, which no answer of the API is`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
};

const readBody = async (response: Response, url: URL): Promise<unknown> => {
  const text = await readText(response, url);
  if (!(response.headers.get('content-type') ?? '').includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** The body as `shape` reads it, or the one-line failure that says it is not what was asked. */
const shaped = <T>(body: unknown, shape: Shape<T>, url: URL): T => {
  if (!shape) return body as T;
  const parsed = shape.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new EndpointUnavailableError(
    `${url.host} answered ${url.pathname} with something that is not the API's answer (${where}${issue?.message ?? 'unexpected'})`,
  );
};

/** A 4xx as ApiRefusedError, a 5xx as EndpointUnavailableError, from whatever body came with it. */
const failureOf = (status: number, statusText: string, body: unknown, url: URL): Error => {
  const problem: ProblemDocument = typeof body === 'object' && body !== null ? body : {};
  // API Gateway's own refusals (a bad signature, no credentials) are {"message": …}, not problems.
  const text = problem.detail ?? problem.message ?? (typeof body === 'string' && body ? body : undefined);
  // An error page of another service can be long: its start says enough.
  const detail = text && text.length > 300 ? `${text.slice(0, 300)}…` : text;
  if (status < 500) {
    return new ApiRefusedError(status, problem.title ?? statusText, detail, problem.errors ?? []);
  }
  return new EndpointUnavailableError(
    `${url.host} answered ${status} ${problem.title ?? statusText}${detail ? `: ${detail}` : ''}${
      problem.requestId ? ` (request id ${problem.requestId})` : ''
    }`,
  );
};

const unreachable = (url: URL, error: unknown, timeoutMs: number): EndpointUnavailableError => {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why =
    (error as Error).name === 'TimeoutError'
      ? `no answer within ${timeoutMs / 1000} s`
      : (cause?.code ?? cause?.message ?? (error as Error).message);
  return new EndpointUnavailableError(`Cannot reach ${url.origin}: ${why}`, { cause: error });
};

export const createApiClient = (
  endpoint: URL,
  options: { readonly signer?: RequestSigner | undefined; readonly timeoutMs?: number } = {},
): ApiClient => {
  const base = endpoint.href.replace(/\/+$/, '');
  const { signer, timeoutMs = DEFAULT_TIMEOUT_MS } = options;

  const send = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const url = new URL(`${base}${path}`);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const unsigned: Record<string, string> = {
      accept: 'application/json',
      ...(text === undefined ? {} : { 'content-type': 'application/json' }),
    };
    const headers = signer
      ? await signer({ method, url, headers: unsigned, ...(text === undefined ? {} : { body: text }) })
      : unsigned;
    try {
      return await fetch(url, {
        method,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        ...(text === undefined ? {} : { body: text }),
      });
    } catch (error) {
      throw unreachable(url, error, timeoutMs);
    }
  };

  const json = async <T>(
    method: string,
    path: string,
    body: unknown,
    shape: Shape<T>,
  ): Promise<ApiAnswer<T>> => {
    const url = new URL(`${base}${path}`);
    const response = await send(method, path, body);
    let parsed: unknown;
    try {
      parsed = await readBody(response, url);
    } catch (error) {
      // The answer began but did not come whole: too slow, cut off, or too large.
      if (error instanceof EndpointUnavailableError) throw error;
      throw unreachable(url, error, timeoutMs);
    }
    if (response.status >= 400) throw failureOf(response.status, response.statusText, parsed, url);
    return { status: response.status, headers: response.headers, body: shaped(parsed, shape, url) };
  };

  return {
    endpoint,
    get: (path, shape) => json('GET', path, undefined, shape),
    post: (path, body, shape) => json('POST', path, body, shape),
    delete: (path, shape) => json('DELETE', path, undefined, shape),
    redirectOf: async (path) => {
      const answer = await json('GET', path, undefined, LinkAnswer);
      const location = answer.headers.get('location') ?? answer.body.url;
      if (answer.status < 300 || answer.status >= 400 || !location) {
        throw new EndpointUnavailableError(`${path} answered ${answer.status} without a link to follow`);
      }
      return new URL(location, `${base}/`);
    },
    download: async (url) => {
      // The timeout bounds the wait for an answer, not the transfer of a large file.
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new DOMException('no answer', 'TimeoutError')), timeoutMs);
      let response: Response;
      try {
        response = await fetch(url, { signal: abort.signal });
      } catch (error) {
        throw unreachable(url, error, timeoutMs);
      } finally {
        clearTimeout(timer);
      }
      if (!response.ok) {
        const body = await readBody(response, url).catch(() => '');
        throw failureOf(response.status, response.statusText, body, url);
      }
      return response;
    },
  };
};
