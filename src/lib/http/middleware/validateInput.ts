/**
 * middy before middleware: parses the path, query string, headers and JSON body of an API
 * Gateway proxy event with the route's input parser, so the handler receives typed input on the
 * request context. Every invalid field is reported, each with a JSON pointer into the request.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { principalOf } from '../caller.js';
import { UnsupportedMediaTypeError, ValidationError } from '../httpErrors.js';
import type { InputParser, RawInput } from '../route.js';
import type { RuntimeContext } from './injectRuntime.js';

export interface InputContext extends RuntimeContext {
  input?: unknown;
}

// Not @middy/http-header-normalizer nor @middy/http-json-body-parser, though they do the same work:
// - the normalizer assigns each header into a plain object (`headers[key] = value`), so a header
//   named __proto__ would set the object's prototype instead of being a key: these maps are made
//   with Object.fromEntries, which defines keys, and a hostile header stays a 400 (the fuzz sends it);
// - the body parser answers a body that is not JSON with 422 and its own message, and passes over a
//   __proto__ key; this API answers 400 with a JSON pointer (#/body), refuses __proto__ anywhere,
//   and refuses another media type with a 415 problem naming application/json. Adopting either
//   would change answers the contract suites and the OpenAPI document fix.
const lowerCaseKeys = (headers: Record<string, string | undefined> | null) =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));

const parseBody = (event: APIGatewayProxyEvent): unknown => {
  if (event.body === null || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let parsed: unknown;
  let prototypeKey = false;
  try {
    parsed = JSON.parse(text, (key, value) => {
      if (key === '__proto__') prototypeKey = true;
      return value;
    });
  } catch {
    throw new ValidationError([{ pointer: '#/body', detail: 'the body is not valid JSON' }]);
  }
  // A key that schemas pass over without a word (zod does): refused, so that nothing is dropped silently.
  if (prototypeKey) {
    throw new ValidationError([
      { pointer: '#/body', detail: 'a key named __proto__ is not accepted anywhere in the body' },
    ]);
  }
  return parsed;
};

const JSON_MEDIA_TYPE = 'application/json';

/** The media type of a Content-Type header, without its parameters (charset). */
const mediaType = (contentType: string | undefined) => contentType?.split(';')[0]?.trim().toLowerCase();

/** The request's parts; a route that takes JSON refuses any other body with 415 before parsing it. */
const rawInput = (event: APIGatewayProxyEvent, takesJson: boolean): RawInput => {
  const headers = lowerCaseKeys(event.headers);
  if (takesJson && mediaType(headers['content-type']) !== JSON_MEDIA_TYPE) {
    throw new UnsupportedMediaTypeError(JSON_MEDIA_TYPE);
  }
  return {
    path: event.pathParameters ?? {},
    query: event.queryStringParameters ?? {},
    headers,
    body: parseBody(event),
    principal: principalOf(event),
  };
};

export const validateInput = (
  parse: InputParser<unknown>,
  options: { body?: 'json' | undefined } = {},
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, InputContext> => {
  const validateInputBefore: middy.MiddlewareFn<
    APIGatewayProxyEvent,
    APIGatewayProxyResult,
    Error,
    InputContext
  > = async (request) => {
    const raw = rawInput(request.event, options.body === 'json');
    request.context.input = parse(raw, request.context.runtime?.config);
  };
  return { before: validateInputBefore };
};
