/**
 * Turns a Node HTTP request into the API Gateway REST API proxy event (payload format 1.0) that
 * Lambda would receive for it, and a Lambda context to go with it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { ValidationError } from '../lib/http/httpErrors.js';

const single = (multi: Record<string, string[]>): Record<string, string> | null => {
  const entries = Object.entries(multi);
  return entries.length === 0
    ? null
    : Object.fromEntries(entries.map(([k, v]) => [k, v[v.length - 1] as string]));
};

/** A path parameter as API Gateway hands it over, decoded; a malformed escape is the client's error. */
export const decodePathPart = (name: string, value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ValidationError([
      { pointer: `#/path/${name}`, detail: 'not a valid percent-encoded path segment' },
    ]);
  }
};

export const toProxyEvent = (
  request: IncomingMessage,
  url: URL,
  resource: string,
  pathParameters: Record<string, string>,
  body: string,
  requestId: string = randomUUID(),
): APIGatewayProxyEvent => {
  // Maps without a prototype: a header or query key named `constructor` or `__proto__` is a key
  // like any other, not a property every object already has.
  const multiValueHeaders: Record<string, string[]> = Object.create(null);
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i] as string;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), request.rawHeaders[i + 1] as string];
  }
  const multiValueQuery: Record<string, string[]> = Object.create(null);
  for (const [k, v] of url.searchParams) multiValueQuery[k] = [...(multiValueQuery[k] ?? []), v];
  const decodedPathParameters = Object.fromEntries(
    Object.entries(pathParameters).map(([k, v]) => [k, decodePathPart(k, v)]),
  );
  const method = request.method ?? 'GET';
  const sourceIp = request.socket.remoteAddress ?? '127.0.0.1';
  const now = Date.now();
  return {
    resource,
    path: url.pathname,
    httpMethod: method,
    headers: single(multiValueHeaders) ?? {},
    multiValueHeaders,
    queryStringParameters: single(multiValueQuery),
    multiValueQueryStringParameters: Object.keys(multiValueQuery).length ? multiValueQuery : null,
    pathParameters: Object.keys(decodedPathParameters).length ? decodedPathParameters : null,
    stageVariables: null,
    body: body === '' ? null : body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: `HTTP/${request.httpVersion}`,
      httpMethod: method,
      identity: {
        sourceIp,
        userAgent: request.headers['user-agent'] ?? null,
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        user: null,
        userArn: null,
      },
      path: url.pathname,
      // The server's own address, as API Gateway gives the API's domain: never the Host header,
      // which the client writes.
      domainName: `${request.socket.localAddress?.includes(':') ? `[${request.socket.localAddress}]` : request.socket.localAddress}:${request.socket.localPort}`,
      stage: 'local',
      requestId,
      requestTimeEpoch: now,
      resourceId: 'local',
      resourcePath: resource,
    },
  };
};

export const localContext = (functionName: string, requestId: string, timeoutMs: number): Context => {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};
