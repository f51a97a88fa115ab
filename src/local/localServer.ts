/**
 * The local HTTP server: a real node:http server that turns each request into an API Gateway
 * proxy event, runs the route's Lambda handler with this server's runtime, and writes the
 * handler's result back. It adds nothing of its own but what API Gateway itself answers (unknown
 * routes, wrong methods, bodies over the size limit, CORS preflights when origins are listed) and
 * the download route that stands in for S3's presigned links (streamed, so it is served here
 * rather than as a Lambda handler).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { corsPreflightHeaders, corsResponseHeaders, headerOf } from '../lib/http/cors.js';
import {
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
} from '../lib/http/httpErrors.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { problem, toHttpError } from '../lib/http/problem.js';
import type { Route } from '../lib/http/route.js';
import { logger } from '../lib/logging/logger.js';
import type { Runtime } from '../lib/runtime.js';
import { DOWNLOAD_ROUTE } from '../lib/signing/signedLink.js';
import { serveDownload } from './downloadResult.js';
import { decodePathPart, localContext, toProxyEvent } from './proxyEvent.js';
import { createRouter } from './router.js';

/** API Gateway's payload limit for a REST API is 10 MB; our bodies are small JSON. */
const MAX_BODY_BYTES = 1024 * 1024;
/** API Gateway's integration timeout. */
const HANDLER_TIMEOUT_MS = 29_000;
/**
 * A connection that sends nothing is closed after this long, and one whose request headers take
 * longer, as API Gateway would not keep it either: idle sockets must not pile up. A request that
 * waits (?wait=20, 25 at most) stays well within it.
 */
export const IDLE_TIMEOUT_MS = 60_000;
/** Between two requests of a kept-alive connection (Node's default, said once). */
const KEEP_ALIVE_MS = 5_000;

export interface LocalServerOptions {
  readonly runtime: Runtime;
  /** The API's routes; the local download route is added to them. */
  readonly routes: readonly Route[];
  /** How long a connection may send nothing (IDLE_TIMEOUT_MS; tests shorten it). */
  readonly idleTimeoutMs?: number;
}

/**
 * The request's path and query, as a URL. The target is a path even when it starts with `//`
 * (which URL would read as a host); one that is no URL at all is the client's error.
 */
const requestUrl = (target: string | undefined): URL => {
  try {
    return new URL(`http://localhost${target?.startsWith('/') ? target : `/${target ?? ''}`}`);
  } catch {
    throw new ValidationError([{ pointer: '#/path', detail: 'the request target is not a valid path' }]);
  }
};

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new PayloadTooLargeError(MAX_BODY_BYTES));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

const send = (response: ServerResponse, result: APIGatewayProxyResult, requestId: string) => {
  const headers: Record<string, string | number | boolean | string[]> = { 'X-Request-Id': requestId };
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = v;
  for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) headers[k] = v.map(String);
  // Text is written as it is (encoded once, by the socket's write): a page of the sweep's is 0.7 MB.
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : (result.body ?? '');
  response.writeHead(result.statusCode, { ...headers, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
};

const DOWNLOAD_PATH = new RegExp(`^${DOWNLOAD_ROUTE.replace('{executionId}', '([^/]+)')}$`);

/**
 * A preflight, answered as the deployed API's OPTIONS methods answer it: 204, the resource's
 * methods and the headers a caller may send, and the origin only when it is listed.
 */
const sendPreflight = (
  response: ServerResponse,
  request: IncomingMessage,
  corsOrigins: readonly string[],
  methods: readonly string[],
  requestId: string,
) => {
  const origin = headerOf(request.headers as Record<string, string | undefined>, 'origin');
  response.writeHead(204, {
    'X-Request-Id': requestId,
    ...corsPreflightHeaders(corsOrigins, origin, methods),
  });
  response.end();
};

export const createLocalServer = ({
  runtime,
  routes,
  idleTimeoutMs = IDLE_TIMEOUT_MS,
}: LocalServerOptions): Server => {
  const provider = () => Promise.resolve(runtime);
  const corsOrigins = runtime.config.TRAILHOUND_CORS_ORIGINS;
  const router = createRouter(
    routes.map((route) => ({ route, handler: httpHandler(route, provider, { corsOrigins }) })),
  );
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const requestId = randomUUID();
    // What the server answers itself (no route, a bad link) carries the CORS headers too.
    const cors = corsResponseHeaders(
      corsOrigins,
      headerOf(request.headers as Record<string, string | undefined>, 'origin'),
    );
    try {
      const url = requestUrl(request.url);
      const download = DOWNLOAD_PATH.exec(url.pathname);
      if (download && request.method === 'GET') {
        const executionId = decodePathPart('executionId', download[1] as string);
        await serveDownload(
          runtime,
          { path: { executionId }, query: Object.fromEntries(url.searchParams) },
          response,
          requestId,
        );
        logger.info('request', { route: `GET ${DOWNLOAD_ROUTE}`, status: 200, executionId, requestId });
        return;
      }
      const match = router(request.method ?? 'GET', url.pathname);
      if (match.kind === 'not-found')
        throw new NotFoundError(`No route for ${request.method} ${url.pathname}`);
      if (match.kind === 'method-not-allowed') {
        if (request.method === 'OPTIONS' && corsOrigins.length > 0) {
          sendPreflight(response, request, corsOrigins, match.allow, requestId);
          return;
        }
        throw new MethodNotAllowedError(match.allow);
      }
      const body = await readBody(request);
      const { route, handler } = match.served;
      const event = toProxyEvent(request, url, route.resource, match.pathParameters, body, requestId);
      send(
        response,
        await handler(event, localContext(route.name, requestId, HANDLER_TIMEOUT_MS)),
        requestId,
      );
    } catch (error) {
      if (!toHttpError(error)) logger.error('unhandled error', error as Error);
      if (response.headersSent) response.destroy();
      else {
        const answer = problem(error, requestId);
        send(response, { ...answer, headers: { ...answer.headers, ...cors } }, requestId);
      }
    }
  };
  const server = createServer((request, response) => {
    void handle(request, response);
  });
  server.timeout = idleTimeoutMs;
  server.headersTimeout = Math.min(idleTimeoutMs, 60_000);
  server.requestTimeout = Math.max(idleTimeoutMs, HANDLER_TIMEOUT_MS + 5_000);
  server.keepAliveTimeout = Math.min(KEEP_ALIVE_MS, idleTimeoutMs);
  return server;
};
