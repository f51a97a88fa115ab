// @ts-check
'use strict';
/**
 * What an operator needs to see and bound the API in production, added to the packaged template:
 * - access logs of the API stage, one JSON line per request (request id, caller, route, status,
 *   latency), in a log group of their own; API Gateway writes them with the account's CloudWatch
 *   role, which the stack creates unless `apiGatewayLogsRole=false` (an account has one already);
 * - X-Ray tracing of the stage and the functions when `tracing=true`, with the permission to send
 *   traces added to each function's role;
 * - reserved concurrency on every function (`reservedConcurrency`), so one busy caller cannot take
 *   the account's whole pool, nor trailhound the account's.
 */

/** @typedef {any} Json CloudFormation templates are free-form JSON. */

/** API Gateway's $context variables of one request, as JSON (docs: API Gateway access logging). */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  caller: '$context.identity.caller',
  userArn: '$context.identity.userArn',
  apiKeyId: '$context.identity.apiKeyId',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
});

const ACCESS_LOG_GROUP = 'ApiAccessLogGroup';
const LOGS_ROLE = 'ApiGatewayCloudWatchLogsRole';

/**
 * @param {Record<string, Json>} resources the template's resources, changed in place
 * @param {Record<string, string | undefined>} params the resolved parameters
 * @param {{ service: string, stage: string }} names
 */
const addObservability = (resources, params, names) => {
  const [deploymentId] = Object.keys(resources).filter(
    (id) => resources[id].Type === 'AWS::ApiGateway::Deployment',
  );
  if (!deploymentId) throw new Error('No API Gateway deployment in the template');
  const stage = resources[deploymentId].Properties.StageDescription ?? {};
  resources[ACCESS_LOG_GROUP] = {
    Type: 'AWS::Logs::LogGroup',
    Properties: {
      LogGroupName: `/aws/api-gateway/${names.service}-${names.stage}-access`,
      RetentionInDays: 90,
    },
  };
  stage.AccessLogSetting = {
    DestinationArn: { 'Fn::GetAtt': [ACCESS_LOG_GROUP, 'Arn'] },
    Format: ACCESS_LOG_FORMAT,
  };
  const tracing = params.tracing === 'true';
  stage.TracingEnabled = tracing;
  resources[deploymentId].Properties.StageDescription = stage;

  if (params.apiGatewayLogsRole === 'true') {
    resources[LOGS_ROLE] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
        ManagedPolicyArns: [
          {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
              ],
            ],
          },
        ],
      },
    };
    resources.ApiGatewayAccountSettings = {
      Type: 'AWS::ApiGateway::Account',
      Properties: { CloudWatchRoleArn: { 'Fn::GetAtt': [LOGS_ROLE, 'Arn'] } },
    };
    // The stage's access logs need the account's role in place first.
    resources[deploymentId].DependsOn = [
      ...[resources[deploymentId].DependsOn ?? []].flat(),
      'ApiGatewayAccountSettings',
    ];
  }

  const reserved = Number(params.reservedConcurrency);
  const functionRoles = new Set();
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    if (reserved > 0) resource.Properties.ReservedConcurrentExecutions = reserved;
    if (tracing) resource.Properties.TracingConfig = { Mode: 'Active' };
    const role = resource.Properties.Role?.['Fn::GetAtt']?.[0];
    if (role) functionRoles.add(role);
  }
  if (!tracing) return;
  for (const role of functionRoles) {
    resources[role]?.Properties.Policies?.[0]?.PolicyDocument.Statement.push({
      Sid: 'SendTraces',
      Effect: 'Allow',
      // X-Ray's trace actions take no resource narrower than '*' (X-Ray's IAM reference).
      Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      Resource: '*',
    });
  }
};

module.exports = { addObservability, ACCESS_LOG_FORMAT };
