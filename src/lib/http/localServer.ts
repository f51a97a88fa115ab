/**
 * The local HTTP server: a real node:http server that turns each request into an API Gateway
 * proxy event, runs the route's Lambda handler, and writes the handler's result back. It adds
 * nothing of its own but what API Gateway itself answers: unknown routes, wrong methods and
 * bodies over the size limit.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { HttpError, NotFoundError } from '../errors.js';
import { localContext, toProxyEvent } from './proxyEvent.js';
import { problem } from './responses.js';
import { matchRoute } from './routes.js';

/** API Gateway's payload limit for a REST API is 10 MB; our bodies are small JSON. */
const MAX_BODY_BYTES = 1024 * 1024;
/** API Gateway's integration timeout. */
const HANDLER_TIMEOUT_MS = 29_000;

class PayloadTooLargeError extends HttpError {
  override readonly name = 'PayloadTooLargeError';
  constructor() {
    super(413, 'Payload too large', `The request body is over ${MAX_BODY_BYTES} bytes`);
  }
}

class MethodNotAllowedError extends HttpError {
  override readonly name = 'MethodNotAllowedError';
  constructor(allow: string[]) {
    super(405, 'Method not allowed', `This path accepts ${allow.join(', ')}`, {
      headers: { Allow: allow.join(', ') },
    });
  }
}

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new PayloadTooLargeError());
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
  const body = result.isBase64Encoded
    ? Buffer.from(result.body, 'base64')
    : Buffer.from(result.body ?? '', 'utf8');
  response.writeHead(result.statusCode, { ...headers, 'Content-Length': body.length });
  response.end(body);
};

const handle = async (request: IncomingMessage, response: ServerResponse) => {
  const requestId = randomUUID();
  try {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = matchRoute(request.method ?? 'GET', url.pathname);
    if (match.kind === 'not-found') throw new NotFoundError(`No route for ${request.method} ${url.pathname}`);
    if (match.kind === 'method-not-allowed') throw new MethodNotAllowedError(match.allow);
    const body = await readBody(request);
    const event = toProxyEvent(request, url, match.route.resource, match.pathParameters, body, requestId);
    const result = await match.route.handler(
      event,
      localContext(match.route.module, requestId, HANDLER_TIMEOUT_MS),
    );
    send(response, result, requestId);
  } catch (error) {
    if (!(error instanceof HttpError)) console.error(error);
    send(response, problem(error, requestId), requestId);
  }
};

export const createLocalServer = (): Server =>
  createServer((request, response) => {
    void handle(request, response);
  });
