/**
 * Least privilege, proven offline: each function's role as the packaged template renders it
 * (resolved into a test deployment: the doubles' buckets, this account and region), evaluated by an
 * IAM policy simulator (@cloud-copilot/iam-simulate, a test-only dependency: AGPL, never bundled)
 * against the calls the function makes, as the doubles record them (awsCalls.ts), or against calls
 * it must never make. Each S3 call is evaluated with its bucket's policy as the template writes it,
 * and each KMS call with a key policy that leaves the decision to IAM (a key's default policy).
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { LOG_BUCKET, RESULTS_BUCKET, STORE_BUCKET } from './athenaDouble.js';
import { type AwsCall, DOUBLE_ACCOUNT, DOUBLE_REGION, s3Arn } from './awsCalls.js';
import { deployedTemplate, resolvedTemplate } from './cloudFormation.js';
import { type ParameterSet, packagedTemplate } from './packagedTemplates.js';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation templates are free-form JSON
type Json = any;

export const NOTIFY_SECRET_ARN = `arn:aws:secretsmanager:${DOUBLE_REGION}:${DOUBLE_ACCOUNT}:secret:trailhound-notify-AbCdEf`;
/** The names the packaged template gives its workgroups and database (stage `dev`). */
/** The evidence key of the test deployment. */
/** The watches table of the test deployment. */
export const WATCHES_TABLE = 'trailhound-dev-WatchesTable-TESTTABLE';
export const WATCHES_TABLE_ARN = `arn:aws:dynamodb:${DOUBLE_REGION}:${DOUBLE_ACCOUNT}:table/${WATCHES_TABLE}`;
export const EVIDENCE_KEY_ARN = `arn:aws:kms:${DOUBLE_REGION}:${DOUBLE_ACCOUNT}:key/0a1b2c3d-1111-4222-8333-444455556666`;

export const TEMPLATE_NAMES = {
  workGroup: 'trailhound-dev',
  compactionWorkGroup: 'trailhound-dev-compaction',
  database: 'trailhound_dev',
  functionPrefix: 'trailhound-dev',
} as const;

const bucket = (name: string) => ({ Ref: name, Arn: s3Arn(name) });

/** The test deployment: the doubles' buckets, the secret, this account and region. */
const deployment = (logBucket: string) => ({
  accountId: DOUBLE_ACCOUNT,
  region: DOUBLE_REGION,
  refs: {
    LogBucket: logBucket,
    ResultsBucket: RESULTS_BUCKET,
    StoreBucket: STORE_BUCKET,
    NotifySecret: NOTIFY_SECRET_ARN,
    EvidenceKey: '0a1b2c3d-1111-4222-8333-444455556666',
    WatchesTable: WATCHES_TABLE,
    ServerlessDeploymentBucket: 'trailhound-deployment-test',
  },
  getAtts: {
    ServerlessDeploymentBucket: bucket('trailhound-deployment-test'),
    LogBucket: bucket(logBucket),
    ResultsBucket: bucket(RESULTS_BUCKET),
    StoreBucket: bucket(STORE_BUCKET),
    EvidenceKey: { Arn: EVIDENCE_KEY_ARN },
    WatchesTable: { Arn: WATCHES_TABLE_ARN },
    CompactDaysLambdaFunction: {
      Arn: `arn:aws:lambda:${DOUBLE_REGION}:${DOUBLE_ACCOUNT}:function:trailhound-dev-compactDays`,
    },
  },
});

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

export interface Roles {
  /** The functions of the template, by name, each with its role's logical id. */
  readonly functions: ReadonlyMap<string, string>;
  decide(fn: string, call: Omit<AwsCall, 'fn'>): Promise<Decision>;
}

/** The roles of a parameter set's template; the log bucket is the double's unless the set names one. */
export const rolesOf = async (set: ParameterSet, logBucket = LOG_BUCKET): Promise<Roles> => {
  const { json } = await packagedTemplate(set);
  const functions = new Map<string, string>();
  for (const [id, resource] of Object.entries(deployedTemplate(json).Resources as Record<string, Json>)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = id.replace(/LambdaFunction$/, '');
    functions.set(
      `${name.charAt(0).toLowerCase()}${name.slice(1)}`,
      resource.Properties.Role['Fn::GetAtt'][0],
    );
  }
  const resolved = resolvedTemplate(json, deployment(logBucket), (r) =>
    ['AWS::IAM::Role', 'AWS::S3::BucketPolicy'].includes(r.Type),
  ).Resources as Record<string, Json>;
  const bucketPolicies = new Map<string, Json>(
    Object.values(resolved)
      .filter((r) => r.Type === 'AWS::S3::BucketPolicy')
      .map((r) => [r.Properties.Bucket, r.Properties.PolicyDocument]),
  );
  const keyPolicy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${DOUBLE_ACCOUNT}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
  return {
    functions,
    decide: async (fn, call) => {
      const roleId = functions.get(fn);
      if (!roleId) throw new Error(`No function ${fn} in the template`);
      const role = resolved[roleId];
      const service = call.action.split(':')[0];
      const bucketName = service === 's3' ? /^arn:aws:s3:::([^/]+)/.exec(call.resource)?.[1] : undefined;
      const resourcePolicy =
        service === 'kms' ? keyPolicy : bucketName ? bucketPolicies.get(bucketName) : undefined;
      const result = await runSimulation(
        {
          request: {
            principal: `arn:aws:iam::${DOUBLE_ACCOUNT}:role/${roleId}`,
            action: call.action,
            resource: { resource: call.resource, accountId: DOUBLE_ACCOUNT },
            contextVariables: { 'aws:SecureTransport': 'true', ...call.context },
          },
          identityPolicies: (role.Properties.Policies ?? []).map((p: Json) => ({
            name: p.PolicyName,
            policy: p.PolicyDocument,
          })),
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          ...(resourcePolicy ? { resourcePolicy } : {}),
        },
        {},
      );
      if (result.resultType === 'error') {
        throw new Error(`${fn} ${call.action} ${call.resource}: ${JSON.stringify(result.errors)}`);
      }
      return result.overallResult as Decision;
    },
  };
};

/** The calls, each once, that a function's role does not allow, with the decision. */
export const refusedCalls = async (roles: Roles, calls: readonly AwsCall[]) => {
  const unique = new Map(calls.filter((c) => c.fn).map((c) => [JSON.stringify(c), c]));
  const refused: (AwsCall & { decision: Decision })[] = [];
  for (const call of unique.values()) {
    const decision = await roles.decide(call.fn as string, call);
    if (decision !== 'Allowed') refused.push({ ...call, decision });
  }
  return refused;
};
