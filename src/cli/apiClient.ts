/**
 * HTTP to the trailhound API: JSON in and out, SigV4 for an AWS endpoint, and every failure turned
 * into the CLI error that says what happened: a 4xx problem document into ApiRefusedError, a 5xx
 * or a connection that fails into EndpointUnavailableError.
 */
import { ApiRefusedError, EndpointUnavailableError } from './errors.js';
import type { RequestSigner } from './requestSigner.js';

// A start waits up to 20 s on the server (?wait=20); anything far slower than that is lost.
const DEFAULT_TIMEOUT_MS = 60_000;

interface ApiAnswer<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface ApiClient {
  readonly endpoint: URL;
  get<T>(path: string): Promise<ApiAnswer<T>>;
  post<T>(path: string, body: unknown): Promise<ApiAnswer<T>>;
  delete<T>(path: string): Promise<ApiAnswer<T>>;
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

const readBody = async (response: Response): Promise<unknown> => {
  const text = await response.text();
  if (!(response.headers.get('content-type') ?? '').includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** A 4xx as ApiRefusedError, a 5xx as EndpointUnavailableError, from whatever body came with it. */
const failureOf = (status: number, statusText: string, body: unknown, url: URL): Error => {
  const problem: ProblemDocument = typeof body === 'object' && body !== null ? body : {};
  // API Gateway's own refusals (a bad signature, no credentials) are {"message": …}, not problems.
  const detail = problem.detail ?? problem.message ?? (typeof body === 'string' && body ? body : undefined);
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

  const json = async <T>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> => {
    const response = await send(method, path, body);
    const parsed = await readBody(response);
    if (response.status >= 400) {
      throw failureOf(response.status, response.statusText, parsed, new URL(`${base}${path}`));
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  };

  return {
    endpoint,
    get: (path) => json('GET', path),
    post: (path, body) => json('POST', path, body),
    delete: (path) => json('DELETE', path),
    redirectOf: async (path) => {
      const answer = await json<{ url?: string }>('GET', path);
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
      if (!response.ok) throw failureOf(response.status, response.statusText, await readBody(response), url);
      return response;
    },
  };
};
