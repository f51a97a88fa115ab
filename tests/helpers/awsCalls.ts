/**
 * Which Lambda function makes an AWS call, as the test doubles record it: a test runs a function's
 * work inside `asFunction(name, …)` (or serves routes wrapped by `routesAsFunctions`, one function
 * per route as on AWS), and every call a double sees in that work, directly or through Athena
 * acting with the caller's credentials, is recorded with its IAM action, resource ARN and the
 * condition keys it brings. A least-privilege test then asks of each call whether that function's
 * role, as the packaged template renders it, allows it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Route } from '../../src/lib/http/route.js';

export interface AwsCall {
  /** The function whose role makes the call; undefined outside any (a test's own setup). */
  readonly fn: string | undefined;
  readonly action: string;
  readonly resource: string;
  /** Condition keys the request carries, such as `s3:prefix` for a listing. */
  readonly context?: Readonly<Record<string, string>>;
}

const current = new AsyncLocalStorage<string>();

export const currentFunction = (): string | undefined => current.getStore();

export const asFunction = <T>(name: string, work: () => T): T => current.run(name, work);

/** The routes, each one's work done as its own function. */
export const routesAsFunctions = (routes: readonly Route[]): Route[] =>
  routes.map((route) => ({
    ...route,
    handle: (input: never, request: never) => asFunction(route.name, () => route.handle(input, request)),
  })) as Route[];

/** The account and region the doubles' ARNs are in. */
export const DOUBLE_ACCOUNT = '111122223333';
export const DOUBLE_REGION = 'us-east-1';

export const s3Arn = (bucket: string, key?: string): string =>
  key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
export const workGroupArn = (workGroup: string): string =>
  `arn:aws:athena:${DOUBLE_REGION}:${DOUBLE_ACCOUNT}:workgroup/${workGroup}`;
export const glueArns = (database: string, table: string): string[] => [
  `arn:aws:glue:${DOUBLE_REGION}:${DOUBLE_ACCOUNT}:catalog`,
  `arn:aws:glue:${DOUBLE_REGION}:${DOUBLE_ACCOUNT}:database/${database}`,
  `arn:aws:glue:${DOUBLE_REGION}:${DOUBLE_ACCOUNT}:table/${database}/${table}`,
];
