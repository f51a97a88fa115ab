/** Building API Gateway proxy results with JSON bodies. */
import type { APIGatewayProxyResult } from 'aws-lambda';

/** A text body of the given type (a PEM key). */
export const text = (statusCode: number, body: string, contentType: string): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' },
  body,
});

/** A JSON body already written (a result page, measured before it is sent). */
export const jsonText = (
  statusCode: number,
  body: string,
  headers: Record<string, string> = {},
): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  body,
});

export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult => jsonText(statusCode, JSON.stringify(body), headers);
