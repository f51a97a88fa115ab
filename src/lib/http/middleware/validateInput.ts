/**
 * middy before middleware: parses the path, query string, headers and JSON body of an API
 * Gateway proxy event with one zod schema, so the handler receives typed input. Every invalid
 * field is reported, each with a JSON pointer into the request.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { z } from 'zod';
import { type FieldProblem, ValidationError } from '../../errors.js';

export type EventWithInput<Input> = APIGatewayProxyEvent & { input: Input };

export const issuesToProblems = (issues: readonly z.core.$ZodIssue[], prefix = '#'): FieldProblem[] =>
  issues.map((issue) => ({
    pointer: [prefix, ...issue.path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1'))].join(
      '/',
    ),
    detail: issue.message,
  }));

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

export const validateInput = <Schema extends z.ZodType>(
  schema: Schema,
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => {
  const validateInputBefore: middy.MiddlewareFn<APIGatewayProxyEvent, APIGatewayProxyResult> = async (
    request,
  ) => {
    const { event } = request;
    const raw = {
      path: event.pathParameters ?? {},
      query: event.queryStringParameters ?? {},
      headers: lowerCaseKeys(event.headers),
      body: parseBody(event),
    };
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new ValidationError(issuesToProblems(parsed.error.issues));
    (event as EventWithInput<z.infer<Schema>>).input = parsed.data;
  };
  return { before: validateInputBefore };
};
