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

type Sendable = { send: (command: never, ...rest: never[]) => Promise<unknown> };

/**
 * Records, into `calls`, what IAM is asked for each command a client sends (as `iam` says it,
 * from the command's name and input) in the function whose work sends it. Wrap a client after
 * any mock of it is made (a mock replaces its send).
 */
export const recordCalls = (
  client: object,
  calls: AwsCall[],
  iam: (name: string, input: Record<string, unknown>) => Omit<AwsCall, 'fn'>[],
): void => {
  const sendable = client as Sendable;
  const send = sendable.send.bind(sendable);
  sendable.send = ((
    command: { constructor: { name: string }; input: Record<string, unknown> },
    ...rest: never[]
  ) => {
    const fn = currentFunction();
    for (const call of iam(command.constructor.name.replace(/Command$/, ''), command.input))
      calls.push({ fn, ...call });
    return send(command as never, ...rest);
  }) as Sendable['send'];
};

/** Lambda's Invoke: lambda:InvokeFunction on the function named. */
export const lambdaIam = (_name: string, input: Record<string, unknown>): Omit<AwsCall, 'fn'>[] => [
  {
    action: 'lambda:InvokeFunction',
    resource: `arn:aws:lambda:${DOUBLE_REGION}:${DOUBLE_ACCOUNT}:function:${String(input.FunctionName)}`,
  },
];

/** CloudTrail's ListPublicKeys, which takes no resource narrower than '*'. */
export const cloudTrailIam = (name: string): Omit<AwsCall, 'fn'>[] => [
  { action: `cloudtrail:${name}`, resource: '*' },
];

/** S3 as the integrity checks call it: listings with their prefix, GETs and HEADs, PUTs. */
export const s3Iam = (name: string, input: Record<string, unknown>): Omit<AwsCall, 'fn'>[] => {
  const bucket = String(input.Bucket);
  if (name === 'ListObjectsV2')
    return [
      {
        action: 's3:ListBucket',
        resource: s3Arn(bucket),
        context: { 's3:prefix': String(input.Prefix ?? '') },
      },
    ];
  return [
    {
      action: name === 'PutObject' ? 's3:PutObject' : 's3:GetObject',
      resource: s3Arn(bucket, String(input.Key)),
    },
  ];
};

/** KMS's Sign and GetPublicKey, on the key named (an ARN, as the template hands the functions). */
export const kmsIam = (name: string, input: Record<string, unknown>): Omit<AwsCall, 'fn'>[] => [
  { action: `kms:${name}`, resource: String(input.KeyId) },
];
