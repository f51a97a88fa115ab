/**
 * middy before middleware: parses the path, query string, headers and JSON body of an API
 * Gateway proxy event with the route's input parser, so the handler receives typed input on the
 * request context. Every invalid field is reported, each with a JSON pointer into the request.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ValidationError } from '../../errors.js';
import type { InputParser, RawInput } from '../route.js';
import type { RuntimeContext } from './injectRuntime.js';

export interface InputContext extends RuntimeContext {
  input?: unknown;
}

const lowerCaseKeys = (headers: Record<string, string | undefined> | null) =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));

const parseBody = (event: APIGatewayProxyEvent): unknown => {
  if (event.body === null || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError([{ pointer: '#/body', detail: 'the body is not valid JSON' }]);
  }
};

const rawInput = (event: APIGatewayProxyEvent): RawInput => ({
  path: event.pathParameters ?? {},
  query: event.queryStringParameters ?? {},
  headers: lowerCaseKeys(event.headers),
  body: parseBody(event),
});

export const validateInput = (
  parse: InputParser<unknown>,
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, InputContext> => {
  const validateInputBefore: middy.MiddlewareFn<
    APIGatewayProxyEvent,
    APIGatewayProxyResult,
    Error,
    InputContext
  > = async (request) => {
    request.context.input = parse(rawInput(request.event), request.context.runtime?.config);
  };
  return { before: validateInputBefore };
};
