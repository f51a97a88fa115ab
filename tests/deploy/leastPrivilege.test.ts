/**
 * Least privilege, proven offline with an IAM policy simulator (tests/helpers/leastPrivilege.ts):
 * what no function may ever do, whatever its role, on the default stack and on the organization
 * one (KMS, callbacks, tracing); and the README's policy for calling systems, which lets them do
 * what it says and nothing else. What each function does in the contract suites is checked by
 * those suites themselves, against the same roles (athena.contract.test.ts,
 * athenaCompaction.test.ts, notifyExecution.test.ts).
 */
import { readFileSync } from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_FUNCTIONS } from '../../src/lambda/functions.js';
import { LOG_BUCKET, RESULTS_BUCKET, STORE_BUCKET } from '../helpers/athenaDouble.js';
import { DOUBLE_ACCOUNT, DOUBLE_REGION, glueArns, s3Arn, workGroupArn } from '../helpers/awsCalls.js';
import {
  type Decision,
  EVIDENCE_KEY_ARN,
  NOTIFY_SECRET_ARN,
  type Roles,
  rolesOf,
  TEMPLATE_NAMES,
  WATCHES_TABLE_ARN,
} from '../helpers/leastPrivilege.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY = 'arn:aws:kms:us-east-1:111122223333:key/99999999-0000-4000-8000-000000000000';
const LOG_KEY =
  'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/111122223333_CloudTrail_us-east-1_20240301T0000Z_x.json.gz';

const roles: Partial<Record<'default' | 'organization', Roles>> = {};
beforeAll(async () => {
  roles.default = await rolesOf('default');
  roles.organization = await rolesOf('organization');
}, 180_000);

type Call = { action: string; resource: string; context?: Record<string, string> };

/** Each function's decision on a call. */
const decisions = async (set: 'default' | 'organization', call: Call) => {
  const of = roles[set] as Roles;
  const out: Record<string, Decision> = {};
  for (const fn of of.functions.keys()) out[fn] = await of.decide(fn, call);
  return out;
};
const allowedBy = async (set: 'default' | 'organization', call: Call) =>
  Object.entries(await decisions(set, call))
    .filter(([, d]) => d === 'Allowed')
    .map(([fn]) => fn)
    .sort();

describe.each(['default', 'organization'] as const)('the %s stack', (set) => {
  it('has a role for every function', () => {
    expect([...(roles[set] as Roles).functions.keys()].sort()).toEqual([...LAMBDA_FUNCTIONS].sort());
  });

  it('lets no function write or delete a log file, or anything else in the log bucket', async () => {
    for (const action of ['s3:PutObject', 's3:DeleteObject', 's3:PutObjectAcl']) {
      for (const key of [LOG_KEY, 'other/file']) {
        expect(
          await allowedBy(set, { action, resource: s3Arn(LOG_BUCKET, key) }),
          `${action} ${key}`,
        ).toEqual([]);
      }
    }
    expect(await allowedBy(set, { action: 's3:PutBucketPolicy', resource: s3Arn(LOG_BUCKET) })).toEqual([]);
  });

  it("lets only queries (a watch's runs among them) and integrity checks read the log files, and nothing outside AWSLogs/", async () => {
    expect(await allowedBy(set, { action: 's3:GetObject', resource: s3Arn(LOG_BUCKET, LOG_KEY) })).toEqual([
      'compactDays',
      'runIntegrityCheck',
      'runWatch',
      'runWatches',
      'startExecution',
    ]);
    expect(
      await allowedBy(set, { action: 's3:GetObject', resource: s3Arn(LOG_BUCKET, 'other/file') }),
    ).toEqual([]);
    const list = (prefix: string) => ({
      action: 's3:ListBucket',
      resource: s3Arn(LOG_BUCKET),
      context: { 's3:prefix': prefix },
    });
    expect(await allowedBy(set, list('AWSLogs/111122223333/'))).toEqual([
      'compactDays',
      'getEvidence',
      'runIntegrityCheck',
      'runWatch',
      'runWatches',
      'startExecution',
      'startIntegrityCheck',
    ]);
    expect(await allowedBy(set, list(''))).toEqual([]);
  });

  it('lets no function use another workgroup, and only the compaction its own', async () => {
    for (const action of [
      'athena:StartQueryExecution',
      'athena:GetQueryExecution',
      'athena:GetQueryResults',
      'athena:StopQueryExecution',
    ]) {
      expect(await allowedBy(set, { action, resource: workGroupArn('primary') }), action).toEqual([]);
    }
    expect(
      await allowedBy(set, {
        action: 'athena:StartQueryExecution',
        resource: workGroupArn(TEMPLATE_NAMES.workGroup),
      }),
    ).toEqual(['runWatch', 'runWatches', 'startExecution']);
    expect(
      await allowedBy(set, {
        action: 'athena:StartQueryExecution',
        resource: workGroupArn(TEMPLATE_NAMES.compactionWorkGroup),
      }),
    ).toEqual(['compactDays']);
    expect(
      await allowedBy(set, {
        action: 'athena:UpdateWorkGroup',
        resource: workGroupArn(TEMPLATE_NAMES.workGroup),
      }),
    ).toEqual([]);
  });

  it('lets no function write to the Glue catalog, or read another database', async () => {
    for (const action of [
      'glue:UpdateTable',
      'glue:DeleteTable',
      'glue:CreateTable',
      'glue:CreatePartition',
      'glue:BatchCreatePartition',
    ]) {
      for (const arn of glueArns(TEMPLATE_NAMES.database, 'cloudtrail_logs')) {
        expect(await allowedBy(set, { action, resource: arn }), `${action} ${arn}`).toEqual([]);
      }
    }
    const [, otherDatabase, otherTable] = glueArns('finance', 'payroll');
    for (const arn of [otherDatabase, otherTable] as string[]) {
      expect(await allowedBy(set, { action: 'glue:GetTable', resource: arn }), arn).toEqual([]);
    }
  });

  it('lets functions use the configured KMS key only where they read or write encrypted logs, and no other key', async () => {
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:ScheduleKeyDeletion']) {
      expect(await allowedBy(set, { action, resource: OTHER_KEY }), action).toEqual([]);
    }
    const decrypters = await allowedBy(set, { action: 'kms:Decrypt', resource: KEY });
    expect(decrypters).toEqual(
      set === 'organization'
        ? ['compactDays', 'runIntegrityCheck', 'runWatch', 'runWatches', 'startExecution']
        : [],
    );
    expect(await allowedBy(set, { action: 'kms:GenerateDataKey', resource: KEY })).toEqual(
      set === 'organization' ? ['compactDays'] : [],
    );
    expect(await allowedBy(set, { action: 'kms:ScheduleKeyDeletion', resource: KEY })).toEqual([]);
  });

  it("lets no function delete anything but the compaction, and it only under the store's own prefixes", async () => {
    const deleters = async (bucket: string, key: string) =>
      allowedBy(set, { action: 's3:DeleteObject', resource: s3Arn(bucket, key) });
    for (const key of [
      'cloudtrail/2024/03/01/account=111122223333/region=us-east-1/x',
      'compaction/watermark.json',
      'compaction/lease.json',
      'compaction/days/2024/03/01.json',
    ]) {
      expect(await deleters(STORE_BUCKET, key), key).toEqual(['compactDays']);
    }
    expect(await deleters(STORE_BUCKET, 'anything/else')).toEqual([]);
    expect(await deleters(RESULTS_BUCKET, 'athena/x.csv')).toEqual([]);
    expect(await deleters(RESULTS_BUCKET, 'athena-compaction/x.csv')).toEqual([]);
  });

  it("lets only the functions that deliver read the callbacks' key, no function pass a role, and only the starters of checks invoke a function: the check runner", async () => {
    expect(
      await allowedBy(set, { action: 'secretsmanager:GetSecretValue', resource: NOTIFY_SECRET_ARN }),
    ).toEqual(set === 'organization' ? ['notifyExecution', 'runWatches'] : []);
    expect(
      await allowedBy(set, {
        action: 'iam:PassRole',
        resource: `arn:aws:iam::${DOUBLE_ACCOUNT}:role/StartExecutionRole`,
      }),
    ).toEqual([]);
    expect(
      await allowedBy(set, {
        action: 'lambda:InvokeFunction',
        resource: `arn:aws:lambda:${DOUBLE_REGION}:${DOUBLE_ACCOUNT}:function:trailhound-dev-compactDays`,
      }),
    ).toEqual([]);
    expect(
      await allowedBy(set, {
        action: 'lambda:InvokeFunction',
        resource: `arn:aws:lambda:${DOUBLE_REGION}:${DOUBLE_ACCOUNT}:function:trailhound-dev-runIntegrityCheck`,
      }),
    ).toEqual(['startExecution', 'startIntegrityCheck']);
  });

  it("lets the starters and the runner write integrity checks, the readers of executions read them, only the runner read CloudTrail's public keys, and only getEvidence sign", async () => {
    const record = s3Arn(RESULTS_BUCKET, 'integrity-checks/00000000-0000-4000-8000-000000000000.json');
    expect(await allowedBy(set, { action: 's3:PutObject', resource: record })).toEqual([
      'runIntegrityCheck',
      'startExecution',
      'startIntegrityCheck',
    ]);
    expect(await allowedBy(set, { action: 's3:GetObject', resource: record })).toEqual([
      'cancelExecution',
      'getCsv',
      'getEvidence',
      'getExecution',
      'getIntegrityCheck',
      'getResults',
      'listExecutions',
      'notifyExecution',
      'runIntegrityCheck',
      'startExecution',
      'startIntegrityCheck',
    ]);
    expect(await allowedBy(set, { action: 'cloudtrail:ListPublicKeys', resource: '*' })).toEqual([
      'runIntegrityCheck',
    ]);
    // The evidence key signs for getEvidence alone; its public half is read by both evidence routes.
    expect(await allowedBy(set, { action: 'kms:Sign', resource: EVIDENCE_KEY_ARN })).toEqual(['getEvidence']);
    expect(await allowedBy(set, { action: 'kms:GetPublicKey', resource: EVIDENCE_KEY_ARN })).toEqual([
      'getEvidence',
      'getEvidencePublicKey',
    ]);
    expect(await allowedBy(set, { action: 'kms:Sign', resource: OTHER_KEY })).toEqual([]);
    // Nor does any of them read the query results beside the records.
    const resultReaders = await allowedBy(set, {
      action: 's3:GetObject',
      resource: s3Arn(RESULTS_BUCKET, 'athena/x.csv'),
    });
    expect(resultReaders.filter((fn) => fn.includes('IntegrityCheck'))).toEqual([]);
  });

  it('lets only the watch functions use the watches table, each as its work needs, and only runWatches read the secrets watches name', async () => {
    const onTable = (action: string) =>
      allowedBy(set, { action: `dynamodb:${action}`, resource: WATCHES_TABLE_ARN });
    expect(await onTable('Query')).toEqual(['deleteWatch', 'listWatches', 'runWatches']);
    expect(await onTable('GetItem')).toEqual(['getWatch', 'runWatch', 'runWatches']);
    expect(await onTable('PutItem')).toEqual(['createWatch', 'runWatch', 'runWatches']);
    expect(await onTable('UpdateItem')).toEqual(['createWatch', 'deleteWatch']);
    expect(await onTable('DeleteItem')).toEqual(['deleteWatch']);
    expect(await onTable('BatchWriteItem')).toEqual(['deleteWatch', 'runWatches']);
    expect(await onTable('BatchGetItem')).toEqual(['runWatches']);
    for (const action of ['Scan', 'DeleteTable', 'UpdateTable', 'UpdateTimeToLive']) {
      expect(await onTable(action), action).toEqual([]);
    }
    const other = `arn:aws:dynamodb:${DOUBLE_REGION}:${DOUBLE_ACCOUNT}:table/other`;
    expect(await allowedBy(set, { action: 'dynamodb:GetItem', resource: other })).toEqual([]);
    const secret = (name: string) =>
      `arn:aws:secretsmanager:${DOUBLE_REGION}:${DOUBLE_ACCOUNT}:secret:trailhound/dev/watches/${name}-AbCdEf`;
    expect(
      await allowedBy(set, { action: 'secretsmanager:GetSecretValue', resource: secret('pagerduty-soc') }),
    ).toEqual(['runWatches']);
    expect(
      await allowedBy(set, { action: 'secretsmanager:DescribeSecret', resource: secret('pagerduty-soc') }),
    ).toEqual(['createWatch']);
    const elsewhere = `arn:aws:secretsmanager:${DOUBLE_REGION}:${DOUBLE_ACCOUNT}:secret:prod/database-AbCdEf`;
    expect(await allowedBy(set, { action: 'secretsmanager:GetSecretValue', resource: elsewhere })).toEqual(
      [],
    );
  });

  it("lets each function write its own log stream and no other function's", async () => {
    const stream = (fn: string) => ({
      action: 'logs:PutLogEvents',
      resource: `arn:aws:logs:${DOUBLE_REGION}:${DOUBLE_ACCOUNT}:log-group:/aws/lambda/trailhound-dev-${fn}:log-stream:2024/03/01/[$LATEST]abc`,
    });
    for (const fn of LAMBDA_FUNCTIONS) {
      const writers = await allowedBy(set, stream(fn));
      // The functions that call no AWS service share one role, and so their log groups.
      const shared = ['getOpenApi', 'health', 'listDetections', 'listQueries'];
      expect(writers, fn).toEqual(shared.includes(fn) ? shared : [fn]);
    }
  });
});

describe("the README's policy for calling systems", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const marker = 'A calling system needs `execute-api:Invoke`';
  const block = readme.slice(readme.indexOf(marker));
  const policy = JSON.parse((/```json\n([\s\S]*?)\n```/.exec(block) as RegExpExecArray)[1] as string);
  const invoke = async (method: string, path: string, api = 'abc123', stage = 'prod') => {
    const result = await runSimulation(
      {
        request: {
          principal: 'arn:aws:iam::111122223333:role/ticketing',
          action: 'execute-api:Invoke',
          resource: {
            resource: `arn:aws:execute-api:us-east-1:111122223333:${api}/${stage}/${method}${path}`,
            accountId: '111122223333',
          },
          contextVariables: {},
        },
        identityPolicies: [{ name: 'readme', policy }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    );
    if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
    return result.overallResult;
  };

  it('lets a caller start, find, read and list, as the README says', async () => {
    for (const [method, path] of [
      ['POST', '/v1/executions'],
      ['GET', '/v1/executions'],
      ['GET', '/v1/executions/5dd2becb-0000-4000-8000-000000000000'],
      ['GET', '/v1/executions/5dd2becb-0000-4000-8000-000000000000/results'],
      ['GET', '/v1/executions/5dd2becb-0000-4000-8000-000000000000/csv'],
      ['GET', '/v1/queries'],
      ['GET', '/v1/detections'],
    ] as const) {
      expect(await invoke(method, path), `${method} ${path}`).toBe('Allowed');
    }
  });

  it('and nothing else: not cancel, not another API or stage', async () => {
    expect(await invoke('DELETE', '/v1/executions/5dd2becb-0000-4000-8000-000000000000')).toBe(
      'ImplicitlyDenied',
    );
    expect(await invoke('POST', '/v1/executions/5dd2becb-0000-4000-8000-000000000000')).toBe(
      'ImplicitlyDenied',
    );
    expect(await invoke('GET', '/v1/queries', 'def456')).toBe('ImplicitlyDenied');
    expect(await invoke('GET', '/v1/queries', 'abc123', 'dev')).toBe('ImplicitlyDenied');
  });
});
