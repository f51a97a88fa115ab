// @ts-check
'use strict';
/**
 * The REST API stage's settings, added to the packaged template as the StageDescription of the
 * framework's Deployment (whose logical id the framework makes up at packaging time), so that they
 * are part of the template checked offline (see trailhound-stack.cjs for why not the framework's):
 * - stage-wide throttling (`throttleRateLimit`, `throttleBurstLimit`) and CloudWatch metrics;
 * - access logs, one JSON line per request (request id, caller, route, status, latency), in a log
 *   group of their own; API Gateway writes them with the account's CloudWatch role, which the
 *   stack creates (a plain AWS::ApiGateway::Account) unless `apiGatewayLogsRole=false`;
 * - X-Ray tracing of the stage when `tracing=true` (the functions' own is the framework's).
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
const configureStage = (resources, params, names) => {
  const [deploymentId, ...others] = Object.keys(resources).filter(
    (id) => resources[id].Type === 'AWS::ApiGateway::Deployment',
  );
  if (!deploymentId || others.length > 0)
    throw new Error('Expected one API Gateway deployment in the template');
  const deployment = resources[deploymentId];
  const rate = Number(params.throttleRateLimit);
  const burst = Number(params.throttleBurstLimit);
  resources[ACCESS_LOG_GROUP] = {
    Type: 'AWS::Logs::LogGroup',
    Properties: {
      LogGroupName: `/aws/api-gateway/${names.service}-${names.stage}-access`,
      RetentionInDays: 90,
    },
  };
  deployment.Properties.StageDescription = {
    ThrottlingRateLimit: rate,
    ThrottlingBurstLimit: burst,
    MetricsEnabled: true,
    MethodSettings: [
      {
        ResourcePath: '/*',
        HttpMethod: '*',
        ThrottlingRateLimit: rate,
        ThrottlingBurstLimit: burst,
        MetricsEnabled: true,
      },
    ],
    AccessLogSetting: {
      DestinationArn: { 'Fn::GetAtt': [ACCESS_LOG_GROUP, 'Arn'] },
      Format: ACCESS_LOG_FORMAT,
    },
    TracingEnabled: params.tracing === 'true',
  };
  if (params.apiGatewayLogsRole !== 'true') return;
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
  deployment.DependsOn = [...[deployment.DependsOn ?? []].flat(), 'ApiGatewayAccountSettings'];
};

module.exports = { configureStage, ACCESS_LOG_FORMAT };
