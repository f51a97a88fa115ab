/**
 * The deployment's promises, read from the CloudFormation that `serverless package` produces
 * offline, for the default parameters, an existing bucket and trail, and an organization trail.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GLUE_TABLE_FILE, glueTableDocument } from '../../scripts/generate.js';
import { cfnLint, hasCfnLint, packageStack } from '../../scripts/packageStack.js';
import { LAMBDA_FUNCTIONS } from '../../src/lambda/functions.js';
import { CORS_ALLOWED_HEADERS, CORS_MAX_AGE_SECONDS } from '../../src/lib/http/cors.js';
import { glueColumns, gluePartitionKeys } from '../../src/lib/schema/glueTable.js';
import { WATCHES_TABLE_SHAPE } from '../../src/lib/watches/dynamoWatchStore.js';
import { openApiDocument } from '../../src/openapi/openApiDocument.js';
import { API_ROUTES } from '../../src/routes.js';
import { deployedTemplate } from '../helpers/cloudFormation.js';
import {
  PARAMETER_SETS,
  type ParameterSet,
  packagedTemplate,
  stagedService,
} from '../helpers/packagedTemplates.js';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation templates are free-form JSON
type Json = any;

type SetName = ParameterSet;

/** Each set's packaged template (`raw`), and as CloudFormation deploys it (`json`: see deployedTemplate). */
const templates = {} as Record<SetName, { file: string; raw: Json; json: Json }>;

let serviceDir: string;

beforeAll(async () => {
  serviceDir = await stagedService();
  for (const name of Object.keys(PARAMETER_SETS) as SetName[]) {
    const { file, json } = await packagedTemplate(name);
    templates[name] = { file, raw: json, json: deployedTemplate(json) };
  }
}, 180_000);

const resources = (t: Json, type: string): [string, Json][] =>
  Object.entries(t.Resources as Record<string, Json>).filter(([, r]) => r.Type === type);
const only = (t: Json, type: string): Json => {
  const found = resources(t, type);
  expect(found, type).toHaveLength(1);
  return found[0]?.[1].Properties;
};
const statements = (t: Json) =>
  resources(t, 'AWS::IAM::Role').flatMap(([id, role]) =>
    (role.Properties.Policies ?? []).flatMap((p: Json) =>
      p.PolicyDocument.Statement.map((s: Json) => ({ role: id, ...s })),
    ),
  );
const text = (value: Json) => JSON.stringify(value);
/** The path of an API Gateway resource, from its PathPart and its parents' up to the API's root. */
const methodPath = (t: Json, resourceId: Json): string => {
  if (resourceId?.['Fn::GetAtt']?.[1] === 'RootResourceId') return '';
  const resource = t.Resources[resourceId.Ref];
  return `${methodPath(t, resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
};

describe.each(Object.keys(PARAMETER_SETS) as SetName[])('the %s stack', (name) => {
  const t = () => templates[name].json;

  it('passes cfn-lint', (context) => {
    if (!hasCfnLint()) {
      context.skip('cfn-lint is not installed on this machine (pip install cfn-lint): template lint skipped');
    }
    const lint = cfnLint(templates[name].file);
    expect(lint?.output ?? '').toBe('');
    expect(lint?.ok).toBe(true);
  });

  it('makes nothing public: every bucket blocks all public access and refuses plain HTTP', () => {
    const buckets = resources(t(), 'AWS::S3::Bucket');
    expect(buckets.length).toBeGreaterThanOrEqual(2);
    const policies = resources(t(), 'AWS::S3::BucketPolicy').map(([, p]) => p.Properties);
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption, id).toBeDefined();
      const policy = policies.find((p) => p.Bucket.Ref === id);
      const denyHttp = policy?.PolicyDocument.Statement.find(
        (s: Json) => s.Effect === 'Deny' && `${s.Condition?.Bool?.['aws:SecureTransport']}` === 'false',
      );
      expect(denyHttp, `${id} TLS-only`).toBeDefined();
    }
    for (const [, policy] of resources(t(), 'AWS::S3::BucketPolicy')) {
      for (const s of policy.Properties.PolicyDocument.Statement) {
        if (s.Effect === 'Allow')
          expect(s.Principal, 'only AWS services are granted').toHaveProperty('Service');
      }
    }
  });

  it("authorizes every method with IAM (SigV4), and its methods are exactly the OpenAPI document's operations", () => {
    // CORS preflights (OPTIONS, answered by API Gateway itself) are checked on their own below.
    const methods = resources(t(), 'AWS::ApiGateway::Method')
      .map(([, m]) => m.Properties)
      .filter((m) => m.HttpMethod !== 'OPTIONS');
    for (const m of methods) expect(m.AuthorizationType).toBe('AWS_IAM');
    const operations = Object.entries(openApiDocument(API_ROUTES).paths as Record<string, object>).flatMap(
      ([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(methods.map((m) => `${m.HttpMethod} ${methodPath(t(), m.ResourceId)}`).sort()).toEqual(
      operations.sort(),
    );
    expect(operations).toHaveLength(API_ROUTES.length);
  });

  it('writes one JSON access log line per request: request id, caller, route, status, latency', () => {
    const [, deployment] = resources(t(), 'AWS::ApiGateway::Deployment')[0] as [string, Json];
    const setting = deployment.Properties.StageDescription.AccessLogSetting;
    expect(setting.DestinationArn).toEqual({ 'Fn::GetAtt': ['ApiAccessLogGroup', 'Arn'] });
    expect(JSON.parse(setting.Format)).toMatchObject({
      requestId: '$context.requestId',
      caller: '$context.identity.caller',
      userArn: '$context.identity.userArn',
      resourcePath: '$context.resourcePath',
      status: '$context.status',
      responseLatency: '$context.responseLatency',
    });
    expect(t().Resources.ApiAccessLogGroup.Properties.RetentionInDays).toBe(90);
  });

  it('reserves concurrency for every function', () => {
    const reserved = name === 'organization' ? 3 : 5;
    for (const [id, fn] of resources(t(), 'AWS::Lambda::Function')) {
      expect(fn.Properties.ReservedConcurrentExecutions, id).toBe(reserved);
    }
  });

  it('throttles the stage', () => {
    const [, deployment] = resources(t(), 'AWS::ApiGateway::Deployment')[0] as [string, Json];
    expect(deployment.Properties.StageDescription).toMatchObject({
      ThrottlingRateLimit: 20,
      ThrottlingBurstLimit: 40,
    });
  });

  it('runs every function on nodejs24.x, arm64, with a role of its own kind', () => {
    const functions = resources(t(), 'AWS::Lambda::Function');
    // One per route, and the functions that events call.
    expect(functions).toHaveLength(LAMBDA_FUNCTIONS.length);
    for (const [id, f] of functions) {
      expect(f.Properties.Handler, id).toMatch(/^src\/lambda\/[a-zA-Z]+\.handler$/);
      expect(f.Properties.Runtime, id).toBe('nodejs24.x');
      expect(f.Properties.Architectures, id).toEqual(['arm64']);
      expect(f.Properties.Environment.Variables.TRAILHOUND_ENGINE).toBe('athena');
      expect(f.Properties.Role['Fn::GetAtt'][0], id).toMatch(/Role$/);
    }
  });

  it('grants no Athena, Glue, S3 or KMS action on a wildcard resource, and no wildcard action', () => {
    const all = statements(t());
    expect(all.length).toBeGreaterThan(10);
    for (const s of all) {
      const actions: string[] = [].concat(s.Action);
      expect(
        actions.some((a) => a.includes('*')),
        `${s.role} ${s.Sid}`,
      ).toBe(false);
      if (!actions.some((a) => /^(athena|glue|s3|kms):/.test(a))) continue;
      for (const resource of [].concat(s.Resource) as Json[]) {
        // Joined text of the ARN: a '*' may only end a named prefix (bucket/AWSLogs/*), never stand
        // for every workgroup, table, key or bucket.
        const literal = typeof resource === 'string' ? resource : text(resource).replaceAll('","', '');
        expect(literal, `${s.role} ${s.Sid}`).not.toBe('*');
        expect(literal, `${s.role} ${s.Sid}`).not.toMatch(
          /(:::|:workgroup\/|:table\/|:database\/|:key\/|:catalog)\*/,
        );
        if (literal.includes('*'))
          expect(literal, `${s.role} ${s.Sid}`).toMatch(
            /\/(AWSLogs|athena|athena-compaction|cloudtrail|compaction\/days|integrity-checks)\/\*(\.safe\.csv)?"?\]*\}?$/,
          );
      }
    }
  });

  it("lets only startExecution, a watch's runs and the compaction start queries, and health, listQueries, listDetections and getOpenApi touch no AWS service", () => {
    const byRole = (role: string) =>
      statements(t())
        .filter((s) => s.role === role)
        .flatMap((s) => ([] as string[]).concat(s.Action));
    const starters = statements(t())
      .filter((s) => [].concat(s.Action).includes('athena:StartQueryExecution' as never))
      .map((s) => s.role);
    expect(starters).toEqual(['StartExecutionRole', 'CompactionRole', 'RunWatchRole', 'RunWatchesRole']);
    // Sending traces, where tracing is on, is no AWS service of ours.
    for (const id of [
      'HealthLambdaFunction',
      'ListQueriesLambdaFunction',
      'ListDetectionsLambdaFunction',
      'GetOpenApiLambdaFunction',
    ])
      expect(t().Resources[id]?.Properties.Role, id).toEqual({ 'Fn::GetAtt': ['NoAwsRole', 'Arn'] });
    expect(byRole('NoAwsRole').filter((a) => !a.startsWith('xray:'))).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
    expect(byRole('CancelExecutionRole')).toContain('athena:StopQueryExecution');
    // Listing reads the workgroup's history, and the integrity checks of executions that verify.
    expect(byRole('ListExecutionsRole').filter((a) => !/^(logs|xray):/.test(a))).toEqual([
      'athena:ListQueryExecutions',
      'athena:BatchGetQueryExecution',
      's3:GetObject',
      's3:ListBucket',
    ]);
    expect(byRole('GetCsvRole')).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject']));
    // It writes only the spreadsheet-safe copies beside the results, and lists only the results.
    const csvWrites = statements(t()).filter(
      (s) => s.role === 'GetCsvRole' && [].concat(s.Action).includes('s3:PutObject' as never),
    );
    expect(csvWrites.map((s) => text(s.Resource).replaceAll('","', ''))).toEqual([
      expect.stringMatching(/\/athena\/\*\.safe\.csv"\]\]\}$/),
    ]);
    const listing = statements(t()).find((s) => s.role === 'GetCsvRole' && s.Sid === 'ListResults');
    expect(listing?.Condition).toEqual({ StringLike: { 's3:prefix': ['athena/*'] } });
  });

  it('lets estimates list only the log prefixes, and tells the functions the price and where the logs are', () => {
    const listings = statements(t()).filter((s) => [].concat(s.Action).includes('s3:ListBucket' as never));
    const onLogs = listings.filter((s) => s.Sid === 'ListCloudTrailLogs');
    expect(onLogs.map((s) => s.role)).toEqual([
      'StartExecutionRole',
      'StartIntegrityCheckRole',
      'RunIntegrityCheckRole',
      'GetEvidenceRole',
      'CompactionRole',
      'RunWatchRole',
      'RunWatchesRole',
    ]);
    for (const s of onLogs) {
      expect(s.Action).toEqual(['s3:ListBucket']);
      expect(s.Condition).toEqual({ StringLike: { 's3:prefix': ['AWSLogs/*'] } });
    }
    // Every other listing is of the results bucket, or of the columnar copy's bucket.
    for (const s of listings.filter((l) => l.Sid !== 'ListCloudTrailLogs')) {
      expect(
        [{ 'Fn::GetAtt': ['ResultsBucket', 'Arn'] }, { 'Fn::GetAtt': ['StoreBucket', 'Arn'] }],
        `${s.role} ${s.Sid}`,
      ).toContainEqual(s.Resource);
    }
    for (const [id, fn] of resources(t(), 'AWS::Lambda::Function')) {
      const env = fn.Properties.Environment.Variables;
      expect(Number(env.TRAILHOUND_PRICE_PER_TB_USD), id).toBe(name === 'organization' ? 6.25 : 5);
      expect(Number(env.TRAILHOUND_SCAN_CUTOFF_BYTES), id).toBe(10737418240);
      expect(env.TRAILHOUND_LOG_BUCKET, id).toBeDefined();
      expect(text(env.TRAILHOUND_LOG_PREFIX), id).toContain('AWSLogs/');
      expect(text(env.TRAILHOUND_REGIONS), id).toContain('us-east-1');
    }
  });

  it("sends Athena's end-of-execution events of the workgroup to the notify function, which reads nothing else but the executions' integrity checks", () => {
    const rules = resources(t(), 'AWS::Events::Rule').map(([, r]) => r.Properties);
    const rule = rules.find((r) => r.EventPattern);
    expect(rules.filter((r) => r.EventPattern)).toHaveLength(1);
    expect(rule.EventPattern).toEqual({
      source: ['aws.athena'],
      'detail-type': ['Athena Query State Change'],
      detail: { workgroupName: ['trailhound-dev'], currentState: ['SUCCEEDED', 'FAILED', 'CANCELLED'] },
    });
    expect(text(rule.Targets)).toContain('NotifyExecutionLambdaFunction');
    const notify = t().Resources.NotifyExecutionLambdaFunction.Properties;
    expect(notify.Role).toEqual({ 'Fn::GetAtt': ['NotifyExecutionRole', 'Arn'] });
    expect(Number(notify.Timeout)).toBe(900);
    const config = resources(t(), 'AWS::Lambda::EventInvokeConfig');
    expect(config.map(([, c]) => c.Properties.MaximumRetryAttempts)).toEqual([0, 0, 0, 0]);
    const actions = statements(t())
      .filter((s) => s.role === 'NotifyExecutionRole')
      .flatMap((s) => ([] as string[]).concat(s.Action))
      .filter((a) => !/^(logs|xray):/.test(a));
    expect(actions.filter((a) => a !== 'secretsmanager:GetSecretValue')).toEqual([
      'athena:GetQueryExecution',
      's3:GetObject',
      's3:ListBucket',
    ]);
  });

  it('enforces the workgroup: engine 3, scan cutoff, metrics, encrypted results that expire', () => {
    const workgroup = t().Resources.AthenaWorkGroup.Properties;
    // Parameters arrive as strings, which CloudFormation takes for numbers.
    expect(Number(workgroup.WorkGroupConfiguration.BytesScannedCutoffPerQuery)).toBe(10737418240);
    expect(workgroup.WorkGroupConfiguration).toMatchObject({
      EnforceWorkGroupConfiguration: true,
      PublishCloudWatchMetricsEnabled: true,
      EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
      ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } },
    });
    const results = t().Resources.ResultsBucket.Properties;
    expect(results.LifecycleConfiguration.Rules[0]).toMatchObject({ Status: 'Enabled' });
    expect(Number(results.LifecycleConfiguration.Rules[0].ExpirationInDays)).toBe(30);
  });

  it('declares the Glue table with exactly the columns of the schema the embedded engine reads', () => {
    const table = t().Resources.CloudTrailTable.Properties.TableInput;
    expect(table.Name).toBe('cloudtrail_logs');
    expect(table.StorageDescriptor.Columns).toEqual(glueColumns());
    expect(table.PartitionKeys).toEqual(gluePartitionKeys());
    expect(table.StorageDescriptor).toMatchObject({
      InputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
    });
  });

  it('projects partitions on account, region (us-east-1 always) and day, to NOW', () => {
    const parameters = t().Resources.CloudTrailTable.Properties.TableInput.Parameters;
    expect(parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.account.type': 'enum',
      'projection.region.type': 'enum',
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy/MM/dd',
      'projection.day.range': '2024/01/01,NOW',
    });
    expect(parameters['projection.region.values'].split(',')).toContain('us-east-1');
    // Athena's own placeholders, literally: ${account}/CloudTrail/${region}/${day}
    const placeholders = ['account', 'region', 'day'].map((p) => `$${'{'}${p}}`);
    expect(text(parameters['storage.location.template']).replaceAll('","', '')).toContain(
      `${placeholders[0]}/CloudTrail/${placeholders[1]}/${placeholders[2]}`,
    );
  });

  it('holds the columnar table: the same columns and projection over the store bucket, Parquet', () => {
    const tables = resources(t(), 'AWS::Glue::Table').map(([, r]) => r.Properties.TableInput);
    expect(tables.map((x) => x.Name).sort()).toEqual(['cloudtrail_logs', 'cloudtrail_parquet']);
    const [raw, parquet] = ['cloudtrail_logs', 'cloudtrail_parquet'].map((n) =>
      tables.find((x) => x.Name === n),
    );
    expect(parquet.StorageDescriptor.Columns).toEqual(raw.StorageDescriptor.Columns);
    expect(parquet.PartitionKeys).toEqual(raw.PartitionKeys);
    for (const key of [
      'projection.account.values',
      'projection.region.values',
      'projection.day.range',
      'projection.day.format',
    ]) {
      expect(parquet.Parameters[key], key).toEqual(raw.Parameters[key]);
    }
    expect(parquet.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    );
    const [account, region, day] = ['account', 'region', 'day'].map((p) => `$${'{'}${p}}`);
    const location = text(parquet.Parameters['storage.location.template']).replaceAll('","', '');
    expect(location).toContain('{"Ref":"StoreBucket"}');
    // Where UNLOAD's partitioned_by writes a day's partitions (compaction/storeLayout.ts).
    expect(location).toContain(`/cloudtrail/${day}/account=${account}/region=${region}"`);
    // The bucket: private, TLS only, encrypted.
    const bucket = t().Resources.StoreBucket.Properties;
    expect(Object.values(bucket.PublicAccessBlockConfiguration)).toEqual([true, true, true, true]);
    expect(text(t().Resources.StoreBucketPolicy.Properties)).toContain('aws:SecureTransport');
    // The backfill's settings are outputs of the stack.
    expect(t().Outputs.StoreBucketName.Value).toEqual({ Ref: 'StoreBucket' });
    expect(t().Outputs.CompactionWorkGroupName.Value).toEqual({ Ref: 'CompactionWorkGroup' });
    // Every function that may start a query reads where the watermark says.
    for (const [id, fn] of resources(t(), 'AWS::Lambda::Function'))
      expect(fn.Properties.Environment.Variables.TRAILHOUND_STORE_BUCKET, id).toEqual({ Ref: 'StoreBucket' });
  });

  it('compacts closed days daily with a function of its own role, which writes only the store and alters no table', () => {
    const schedule = only(t(), 'AWS::Scheduler::Schedule');
    expect(schedule).toMatchObject({
      ScheduleExpression: 'cron(30 * * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': ['CompactDaysLambdaFunction', 'Arn'] },
        RoleArn: { 'Fn::GetAtt': ['CompactionSchedulerRole', 'Arn'] },
      },
    });
    const invoker = statements(t()).filter((s) => s.role === 'CompactionSchedulerRole');
    expect(invoker.map((s) => [s.Action, s.Resource])).toEqual([
      [['lambda:InvokeFunction'], { 'Fn::GetAtt': ['CompactDaysLambdaFunction', 'Arn'] }],
    ]);
    const fn = t().Resources.CompactDaysLambdaFunction.Properties;
    expect(fn.Role).toEqual({ 'Fn::GetAtt': ['CompactionRole', 'Arn'] });
    // In a workgroup of its own, without the API's scan cutoff, encrypting with the logs' key.
    expect(fn.Environment.Variables.TRAILHOUND_COMPACT_WORKGROUP).toBe('trailhound-dev-compaction');
    const workgroup = t().Resources.CompactionWorkGroup.Properties;
    expect(workgroup.Name).toBe('trailhound-dev-compaction');
    expect(workgroup.WorkGroupConfiguration).not.toHaveProperty('BytesScannedCutoffPerQuery');
    expect(workgroup.WorkGroupConfiguration.EnforceWorkGroupConfiguration).toBe(true);
    expect(workgroup.WorkGroupConfiguration.ResultConfiguration.EncryptionConfiguration).toEqual(
      name === 'organization'
        ? {
            EncryptionOption: 'SSE_KMS',
            KmsKey: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          }
        : { EncryptionOption: 'SSE_S3' },
    );
    const athenaOf = (role: string) =>
      statements(t()).filter(
        (s) => s.role === role && [].concat(s.Action).some((a: string) => a.startsWith('athena:')),
      );
    expect(athenaOf('CompactionRole').map((s) => text(s.Resource))).toEqual([
      expect.stringContaining(':workgroup/trailhound-dev-compaction'),
    ]);
    expect(Number(fn.Timeout)).toBe(900);
    const compaction = statements(t()).filter((s) => s.role === 'CompactionRole');
    const actions = compaction.flatMap((s) => ([] as string[]).concat(s.Action));
    expect(actions.filter((a) => /^glue:/.test(a)).every((a) => /^glue:Get/.test(a))).toBe(true);
    const writes = compaction.filter((s) =>
      [].concat(s.Action).some((a: string) => /^s3:(Put|Delete)/.test(a)),
    );
    expect(writes.map((s) => text(s.Resource))).toEqual([
      expect.stringContaining('ResultsBucket'),
      expect.stringMatching(/StoreBucket.*\/cloudtrail\/\*.*StoreBucket.*\/compaction\/watermark\.json/),
    ]);
    // Queries read the columnar table's Parquet and its watermark, and write nothing there.
    const readers = statements(t()).filter((s) => s.Sid === 'ReadColumnarCopy');
    expect(readers.map((s) => [s.role, s.Action])).toEqual([
      ['StartExecutionRole', ['s3:GetObject']],
      ['RunWatchRole', ['s3:GetObject']],
      ['RunWatchesRole', ['s3:GetObject']],
    ]);
  });

  it("keeps watches in a table of the store's shape, with TTL, and runs them every 5 minutes with a function that is never retried", () => {
    const table = t().Resources.WatchesTable;
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties).toEqual({
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: WATCHES_TABLE_SHAPE.AttributeDefinitions,
      KeySchema: WATCHES_TABLE_SHAPE.KeySchema,
      TimeToLiveSpecification: WATCHES_TABLE_SHAPE.TimeToLiveSpecification,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    const schedule = resources(t(), 'AWS::Events::Rule')
      .map(([, r]) => r.Properties)
      .find((r) => r.ScheduleExpression);
    expect(schedule).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED' });
    expect(text(schedule.Targets)).toContain('RunWatchesLambdaFunction');
    const fn = t().Resources.RunWatchesLambdaFunction.Properties;
    expect(fn.Role).toEqual({ 'Fn::GetAtt': ['RunWatchesRole', 'Arn'] });
    expect(Number(fn.Timeout)).toBe(900);
    for (const [id, f] of resources(t(), 'AWS::Lambda::Function')) {
      expect(f.Properties.Environment.Variables.TRAILHOUND_WATCHES_TABLE, id).toEqual({
        Ref: 'WatchesTable',
      });
      expect(f.Properties.Environment.Variables.TRAILHOUND_WATCH_SECRETS_PREFIX, id).toBe(
        'trailhound/dev/watches/',
      );
    }
    // Only the watch functions touch the table, none with a wildcard action.
    const onTable = statements(t()).filter((s) => text(s.Resource).includes('WatchesTable'));
    expect([...new Set(onTable.map((s) => s.role))]).toEqual([
      'CreateWatchRole',
      'ListWatchesRole',
      'GetWatchRole',
      'DeleteWatchRole',
      'RunWatchRole',
      'RunWatchesRole',
    ]);
  });
});

describe('parameter sets', () => {
  it('by default: the account role that access logs need, no tracing, no callbacks', () => {
    const t = templates.default.json;
    expect(resources(t, 'AWS::SecretsManager::Secret')).toEqual([]);
    // No callbacks' key to read; the secrets a watch names, only under the stage's watches prefix.
    const secrets = statements(t).filter((s) => text(s.Action).includes('secretsmanager'));
    expect(secrets.map((s) => [s.role, s.Action])).toEqual([
      ['CreateWatchRole', ['secretsmanager:DescribeSecret']],
      ['RunWatchesRole', ['secretsmanager:GetSecretValue']],
    ]);
    for (const s of secrets) expect(text(s.Resource)).toContain(':secret:trailhound/dev/watches/*');
    expect(only(t, 'AWS::ApiGateway::Account').CloudWatchRoleArn).toEqual({
      'Fn::GetAtt': ['ApiGatewayCloudWatchLogsRole', 'Arn'],
    });
    const [, deployment] = resources(t, 'AWS::ApiGateway::Deployment')[0] as [string, Json];
    expect(deployment.Properties.StageDescription.TracingEnabled).toBe(false);
    for (const [id, fn] of resources(t, 'AWS::Lambda::Function'))
      expect(fn.Properties, id).not.toHaveProperty('TracingConfig');
    expect(statements(t).filter((s) => s.Sid === 'SendTraces')).toEqual([]);
  });

  it('the default stack creates the bucket and a validated, multi-region trail that CloudTrail alone may write', () => {
    const t = templates.default.json;
    expect(only(t, 'AWS::CloudTrail::Trail')).toMatchObject({
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      IsLogging: true,
      IsOrganizationTrail: false,
    });
    const write = t.Resources.LogBucketPolicy.Properties.PolicyDocument.Statement.find(
      (s: Json) => s.Sid === 'AWSCloudTrailWrite',
    );
    expect(write.Condition.StringEquals['s3:x-amz-acl']).toBe('bucket-owner-full-control');
    expect(text(write.Condition.StringEquals['aws:SourceArn'])).toContain(':trail/trailhound-dev');
    expect(t.Resources.CloudTrailTable.Properties.TableInput.Parameters['projection.account.values']).toEqual(
      {
        Ref: 'AWS::AccountId',
      },
    );
  });

  it('with tracing on: the stage and every function traced, each role allowed to send traces; no account role when asked', () => {
    const t = templates.organization.json;
    const [, deployment] = resources(t, 'AWS::ApiGateway::Deployment')[0] as [string, Json];
    expect(deployment.Properties.StageDescription.TracingEnabled).toBe(true);
    const functions = resources(t, 'AWS::Lambda::Function');
    for (const [id, fn] of functions) {
      expect(fn.Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(fn.Properties.ReservedConcurrentExecutions, id).toBe(3);
    }
    const tracedRoles = statements(t)
      .filter((s) => s.Sid === 'SendTraces')
      .map((s) => s.role)
      .sort();
    const functionRoles = [...new Set(functions.map(([, fn]) => fn.Properties.Role['Fn::GetAtt'][0]))].sort();
    expect(tracedRoles).toEqual(functionRoles);
    expect(resources(t, 'AWS::ApiGateway::Account')).toEqual([]);
  });

  it('with an existing bucket and trail, creates neither and reads the given bucket', () => {
    const t = templates.existingTrail.json;
    expect(resources(t, 'AWS::CloudTrail::Trail')).toEqual([]);
    expect(t.Resources.LogBucket).toBeUndefined();
    const table = t.Resources.CloudTrailTable.Properties.TableInput;
    expect(text(table.StorageDescriptor.Location)).toContain('acme-org-cloudtrail');
    expect(table.Parameters['projection.region.values']).toBe('us-east-1,eu-west-1');
    const read = statements(t).find((s) => s.Sid === 'ReadCloudTrailLogs');
    expect(text(read.Resource).replaceAll('","', '')).toContain(':s3:::acme-org-cloudtrail');
    expect(text(read.Resource)).toContain('/AWSLogs/*');
  });

  it('as an organization trail: the org layout, the listed accounts, KMS, data events, API keys and a resource policy', () => {
    const t = templates.organization.json;
    expect(only(t, 'AWS::CloudTrail::Trail')).toMatchObject({
      IsOrganizationTrail: true,
      KMSKeyId: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      EventSelectors: [{ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }],
    });
    const table = t.Resources.CloudTrailTable.Properties.TableInput;
    expect(table.Parameters['projection.account.values']).toBe('111122223333,444455556666');
    expect(text(table.Parameters['storage.location.template'])).toContain('o-abcdef1234/');
    expect(text(t.Resources.LogBucket.Properties.BucketEncryption)).toContain('aws:kms');
    const write = t.Resources.LogBucketPolicy.Properties.PolicyDocument.Statement.find(
      (s: Json) => s.Sid === 'AWSCloudTrailWrite',
    );
    expect(text(write.Resource).replaceAll('","', '')).toContain('/AWSLogs/o-abcdef1234/*');
    for (const [, m] of resources(t, 'AWS::ApiGateway::Method')) {
      if (m.Properties.HttpMethod === 'OPTIONS') continue;
      expect(m.Properties.AuthorizationType).toBe('AWS_IAM');
      expect(m.Properties.ApiKeyRequired).toBe(true);
    }
    // CORS: the framework's unsigned preflight per resource, answered by API Gateway (no
    // function), naming the request's Origin only when it is listed; the deployment after it;
    // the functions told the origins; anyone may send one, still only through the listed
    // endpoint and range.
    const preflights = resources(t, 'AWS::ApiGateway::Method').filter(
      ([, m]) => m.Properties.HttpMethod === 'OPTIONS',
    );
    const routeResources = new Set(
      resources(t, 'AWS::ApiGateway::Method')
        .filter(([, m]) => m.Properties.HttpMethod !== 'OPTIONS')
        .map(([, m]) => text(m.Properties.ResourceId)),
    );
    expect(preflights).toHaveLength(routeResources.size);
    const [, deployment] = resources(t, 'AWS::ApiGateway::Deployment')[0] as [string, Json];
    for (const [id, m] of preflights) {
      expect(m.Properties.AuthorizationType).toBe('NONE');
      expect(m.Properties.ApiKeyRequired ?? false).toBe(false);
      expect(m.Properties.Integration.Type).toBe('MOCK');
      expect(deployment.DependsOn).toContain(id);
      const [answer] = m.Properties.Integration.IntegrationResponses;
      expect(answer.ResponseParameters).toMatchObject({
        'method.response.header.Access-Control-Allow-Headers': `'${CORS_ALLOWED_HEADERS.join(',')}'`,
        'method.response.header.Access-Control-Max-Age': `'${CORS_MAX_AGE_SECONDS}'`,
      });
      expect(answer.ResponseTemplates['application/json']).toContain(
        '$origin.matches("https://incidents[.]example[.]com") || $origin.matches("http://localhost:5173")',
      );
    }
    expect(
      resources(t, 'AWS::Lambda::Function')[0]?.[1].Properties.Environment.Variables.TRAILHOUND_CORS_ORIGINS,
    ).toBe('https://incidents.example.com,http://localhost:5173');
    expect(resources(t, 'AWS::ApiGateway::UsagePlan')).toHaveLength(1);
    expect(resources(t, 'AWS::ApiGateway::ApiKey')).toHaveLength(1);
    const policy = t.Resources.ApiGatewayRestApi.Properties.Policy;
    expect(policy.Statement.map((s: Json) => [s.Sid, s.Effect])).toEqual([
      ['AllowThisAccount', 'Allow'],
      ['AllowCorsPreflight', 'Allow'],
      ['DenyUnlessListedVpcEndpoint', 'Deny'],
      ['DenyUnlessListedCidr', 'Deny'],
    ]);
    expect(statements(t).find((s) => s.Sid === 'DecryptLogs')?.Resource).toContain(':key/1234abcd');
    const env = resources(t, 'AWS::Lambda::Function')[0]?.[1].Properties.Environment.Variables;
    expect(text(env.TRAILHOUND_LOG_PREFIX)).toContain('AWSLogs/o-abcdef1234/');
    expect(text(env.TRAILHOUND_ACCOUNTS)).toContain('111122223333,444455556666');
    expect(env.TRAILHOUND_PRICE_PER_TB_USD).toBe('6.25');
    expect(Number(env.TRAILHOUND_MAX_BYTES_SCANNED)).toBe(1073741824);
    // Callbacks: the listed origins, and a generated key only the functions that deliver may read.
    expect(env.TRAILHOUND_NOTIFY_ALLOWED_ORIGINS).toBe(
      'https://hooks.example.com,https://*.tickets.example.net',
    );
    expect(only(t, 'AWS::SecretsManager::Secret').GenerateSecretString).toMatchObject({ PasswordLength: 48 });
    const readers = statements(t).filter((s) =>
      [].concat(s.Action).includes('secretsmanager:GetSecretValue' as never),
    );
    expect(
      readers.map((s) => [s.role, s.Resource]).filter(([, r]) => !text(r).includes('watches/*')),
    ).toEqual([
      ['NotifyExecutionRole', { Ref: 'NotifySecret' }],
      ['RunWatchesRole', { Ref: 'NotifySecret' }],
    ]);
  });

  it('refuses regions that repeat us-east-1, with a clear message', () => {
    expect(() =>
      packageStack(
        path.join(tmpdir(), 'trailhound-bad'),
        ['--param=regions=us-east-1,eu-west-1'],
        serviceDir,
      ),
    ).toThrow(/always includes: list only the other regions/);
  });
});

describe('generated files', () => {
  it('deploy/generated/glue-table.json is what the schema generates (run npm run generate)', () => {
    expect(readFileSync(GLUE_TABLE_FILE, 'utf8')).toBe(glueTableDocument());
  });
});
