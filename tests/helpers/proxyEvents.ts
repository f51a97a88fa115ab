/**
 * API Gateway REST proxy events (payload format 1.0) for unit tests, built from a real-shaped
 * fixture (tests/fixtures/events) with the parts a test changes, and a Lambda context to go with it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/events');

const base = JSON.parse(
  readFileSync(path.join(FIXTURES, 'getExecution.json'), 'utf8'),
) as APIGatewayProxyEvent;

export const proxyEvent = (overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent => ({
  ...structuredClone(base),
  ...overrides,
});

export const lambdaContext = (remainingMs = 29_000): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'trailhound-test-fn',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:trailhound-test-fn',
  memoryLimitInMB: '512',
  awsRequestId: 'aws-request-0001',
  logGroupName: '/aws/lambda/trailhound-test-fn',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => remainingMs,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});
