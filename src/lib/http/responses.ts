/** Building API Gateway proxy results: JSON bodies and RFC 9457 problem documents. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { HttpError } from '../errors.js';

export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

// A URN: stable and unique without pretending to be a page anyone can open.
const PROBLEM_TYPE_BASE = 'urn:trailhound:problem:';

const slug = (title: string) => title.toLowerCase().replaceAll(/[^a-z0-9]+/g, '-');

/**
 * The problem document for an error. An HttpError says what went wrong; anything else is a bug:
 * the client gets a plain 500 with the request id to quote, the stack stays in the log.
 */
export const problem = (error: unknown, requestId: string | undefined): APIGatewayProxyResult => {
  const known = error instanceof HttpError;
  const status = known ? error.status : 500;
  const title = known ? error.title : 'Internal server error';
  const body = {
    type: `${PROBLEM_TYPE_BASE}${slug(title)}`,
    title,
    status,
    detail: known ? error.message : 'An unexpected error occurred. Quote the requestId when you report it.',
    ...(requestId ? { requestId } : {}),
    ...(known ? error.extensions() : {}),
  };
  return {
    statusCode: status,
    headers: {
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
      ...(known ? error.headers : {}),
    },
    body: JSON.stringify(body),
  };
};
