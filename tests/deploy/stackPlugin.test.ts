/** The stack plugin's parts, on small templates: parameter checks, condition folding, the API stage. */
import { describe, expect, it } from 'vitest';
import parameters from '../../deploy/parameters.cjs';
import cors from '../../deploy/plugins/cors.cjs';
import { foldConditions } from '../../deploy/plugins/foldConditions.cjs';
import { ACCESS_LOG_FORMAT, addObservability } from '../../deploy/plugins/observability.cjs';
import stackPlugin from '../../deploy/plugins/trailhound-stack.cjs';
import { CORS_ALLOWED_HEADERS, CORS_MAX_AGE_SECONDS } from '../../src/lib/http/cors.js';

const { decorateApi, parameterProblems } = stackPlugin;
const { addCorsPreflights } = cors;
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation templates are free-form JSON
type Json = any;

describe('parameterProblems', () => {
  it('accepts the defaults', () => {
    expect(parameterProblems(parameters.defaults)).toEqual([]);
  });

  it('names each invalid parameter, and refuses us-east-1 among the extra regions', () => {
    const problems = parameterProblems({
      ...parameters.defaults,
      organizationId: 'org-1',
      accounts: '1234',
      regions: 'us-east-1,eu-west-1',
      apiKeys: 'yes',
    });
    expect(problems.map((p) => p.split('=')[0])).toEqual([
      'Parameter organizationId',
      'Parameter accounts',
      'Parameter apiKeys',
      'Parameter regions lists us-east-1, which the table always includes: list only the other regions',
    ]);
  });

  it('treats a missing parameter as empty, which only optional ones accept', () => {
    const { createTrail: _left, ...rest } = parameters.defaults;
    expect(parameterProblems(rest)).toEqual([expect.stringContaining('Parameter createTrail=undefined')]);
  });
});

describe('foldConditions', () => {
  const template = () => ({
    Conditions: {
      CreateBucket: { 'Fn::Equals': ['', ''] },
      UseKms: { 'Fn::Not': [{ 'Fn::Equals': ['arn:aws:kms:x', ''] }] },
      Both: { 'Fn::And': [{ Condition: 'CreateBucket' }, { Condition: 'UseKms' }] },
      Never: { 'Fn::Or': [{ 'Fn::Equals': ['a', 'b'] }, { 'Fn::Not': [{ Condition: 'CreateBucket' }] }] },
      Loop: { Condition: 'Loop' },
    },
    Resources: {
      Bucket: { Type: 'AWS::S3::Bucket', Condition: 'CreateBucket', Properties: {} },
      Gone: { Type: 'AWS::SNS::Topic', Condition: 'Never' },
      Role: {
        Type: 'AWS::IAM::Role',
        DependsOn: ['Gone', 'Bucket'],
        Properties: {
          Statements: [
            { 'Fn::If': ['UseKms', { Sid: 'Kms' }, { Ref: 'AWS::NoValue' }] },
            { 'Fn::If': ['Never', { Sid: 'Not' }, { Ref: 'AWS::NoValue' }] },
            { 'Fn::If': ['Loop', 'a', 'b'] },
          ],
          Key: { 'Fn::If': ['Both', 'yes', 'no'] },
        },
      },
    },
    Outputs: { GoneName: { Condition: 'Never', Value: 'x' } },
  });

  it('keeps the chosen branches, drops what is false, and leaves the undecidable to CloudFormation', () => {
    const t: ReturnType<typeof template> & Record<string, unknown> = template();
    foldConditions(t);
    expect(t.Conditions).toEqual({ Loop: { Condition: 'Loop' } });
    expect(t.Resources).toEqual({
      Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
      Role: {
        Type: 'AWS::IAM::Role',
        DependsOn: ['Bucket'],
        Properties: { Statements: [{ Sid: 'Kms' }, { 'Fn::If': ['Loop', 'a', 'b'] }], Key: 'yes' },
      },
    });
    expect(t.Outputs).toEqual({});
  });

  it('removes the Conditions section once every condition is decided', () => {
    const t: Record<string, unknown> = {
      Conditions: { On: { 'Fn::Equals': ['true', 'true'] } },
      Resources: { A: { Type: 'X', Condition: 'On', DependsOn: 'B', Properties: {} } },
    };
    foldConditions(t);
    expect(t).toEqual({ Resources: { A: { Type: 'X', DependsOn: ['B'], Properties: {} } } });
  });
});

describe('decorateApi', () => {
  const resources = () => ({
    ApiGatewayRestApi: { Type: 'AWS::ApiGateway::RestApi', Properties: {} as Record<string, unknown> },
    ApiGatewayDeployment123: {
      Type: 'AWS::ApiGateway::Deployment',
      Properties: {} as Record<string, unknown>,
    },
  });

  it('throttles the stage and turns its metrics on', () => {
    const r = resources();
    decorateApi(r, parameters.defaults);
    expect(r.ApiGatewayDeployment123.Properties.StageDescription).toMatchObject({
      ThrottlingRateLimit: 20,
      ThrottlingBurstLimit: 40,
      MetricsEnabled: true,
    });
    expect(r.ApiGatewayRestApi.Properties).not.toHaveProperty('Policy');
  });

  it('refuses every caller outside the listed endpoints and ranges, one Deny per kind', () => {
    const r = resources();
    decorateApi(r, {
      ...parameters.defaults,
      allowedVpcEndpoints: 'vpce-0a1b',
      allowedCidrs: '10.0.0.0/8,192.0.2.0/24',
    });
    const policy = r.ApiGatewayRestApi.Properties.Policy as { Statement: Record<string, unknown>[] };
    expect(policy.Statement.map((s) => [s.Sid, s.Effect])).toEqual([
      ['AllowThisAccount', 'Allow'],
      ['DenyUnlessListedVpcEndpoint', 'Deny'],
      ['DenyUnlessListedCidr', 'Deny'],
    ]);
    expect(policy.Statement[2]?.Condition).toEqual({
      NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.0.2.0/24'] },
    });
  });

  it('fails loudly when the framework made no deployment', () => {
    expect(() => decorateApi({}, parameters.defaults)).toThrow(/No API Gateway deployment/);
  });
});

describe('addObservability', () => {
  const template = () => ({
    ApiGatewayDeployment1: {
      Type: 'AWS::ApiGateway::Deployment',
      Properties: { StageDescription: { MetricsEnabled: true } },
    },
    HealthLambdaFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: { Role: { 'Fn::GetAtt': ['NoAwsRole', 'Arn'] } },
    },
    NoAwsRole: {
      Type: 'AWS::IAM::Role',
      Properties: { Policies: [{ PolicyDocument: { Statement: [{ Sid: 'WriteOwnLogs' }] } }] },
    },
  });

  it('adds access logs to the stage, keeping what it had, and reserves concurrency', () => {
    const r: Record<string, Json> = template();
    addObservability(r, { ...parameters.defaults }, { service: 'trailhound', stage: 'prod' });
    expect(r.ApiGatewayDeployment1.Properties.StageDescription).toMatchObject({
      MetricsEnabled: true,
      TracingEnabled: false,
      AccessLogSetting: {
        DestinationArn: { 'Fn::GetAtt': ['ApiAccessLogGroup', 'Arn'] },
        Format: ACCESS_LOG_FORMAT,
      },
    });
    expect(r.ApiAccessLogGroup.Properties.LogGroupName).toBe('/aws/api-gateway/trailhound-prod-access');
    expect(r.ApiGatewayDeployment1.DependsOn).toEqual(['ApiGatewayAccountSettings']);
    expect(r.HealthLambdaFunction.Properties.ReservedConcurrentExecutions).toBe(5);
    expect(r.NoAwsRole.Properties.Policies[0].PolicyDocument.Statement).toHaveLength(1);
  });

  it('traces when asked, letting only the functions roles send traces, and reserves none at 0', () => {
    const r: Record<string, Json> = template();
    addObservability(
      r,
      { ...parameters.defaults, tracing: 'true', apiGatewayLogsRole: 'false', reservedConcurrency: '0' },
      { service: 'trailhound', stage: 'dev' },
    );
    expect(r.HealthLambdaFunction.Properties).toMatchObject({ TracingConfig: { Mode: 'Active' } });
    expect(r.HealthLambdaFunction.Properties).not.toHaveProperty('ReservedConcurrentExecutions');
    expect(r.NoAwsRole.Properties.Policies[0].PolicyDocument.Statement.map((s: Json) => s.Sid)).toEqual([
      'WriteOwnLogs',
      'SendTraces',
    ]);
    expect(r).not.toHaveProperty('ApiGatewayAccountSettings');
  });
});

describe('addCorsPreflights', () => {
  const method = (resource: string, verb: string) => ({
    Type: 'AWS::ApiGateway::Method',
    Properties: { ResourceId: { Ref: resource }, HttpMethod: verb, AuthorizationType: 'AWS_IAM' },
  });
  const resources = (): Record<string, Json> => ({
    ApiGatewayMethodV1ExecutionsGet: method('ApiGatewayResourceV1Executions', 'GET'),
    ApiGatewayMethodV1ExecutionsPost: method('ApiGatewayResourceV1Executions', 'POST'),
    ApiGatewayMethodHealthGet: method('ApiGatewayResourceHealth', 'GET'),
    ApiGatewayDeployment123: {
      Type: 'AWS::ApiGateway::Deployment',
      DependsOn: ['ApiGatewayMethodHealthGet'],
    },
  });

  it('adds nothing when no origin is listed', () => {
    const r = resources();
    expect(addCorsPreflights(r, parameters.defaults)).toEqual([]);
    expect(Object.keys(r)).toHaveLength(4);
  });

  it('gives each resource an unsigned OPTIONS method that names only a listed origin', () => {
    const r = resources();
    const added = addCorsPreflights(r, {
      ...parameters.defaults,
      corsOrigins: 'https://incidents.example.com,http://localhost:5173',
    });
    expect([...added].sort()).toEqual([
      'ApiGatewayMethodHealthOptions',
      'ApiGatewayMethodV1ExecutionsOptions',
    ]);
    const options = r.ApiGatewayMethodV1ExecutionsOptions.Properties;
    expect(options).toMatchObject({
      HttpMethod: 'OPTIONS',
      AuthorizationType: 'NONE',
      ApiKeyRequired: false,
      ResourceId: { Ref: 'ApiGatewayResourceV1Executions' },
      Integration: { Type: 'MOCK', RequestTemplates: { 'application/json': '{"statusCode": 204}' } },
    });
    const [answer] = options.Integration.IntegrationResponses;
    expect(answer.ResponseParameters['method.response.header.Access-Control-Allow-Methods']).toBe(
      "'GET, POST, OPTIONS'",
    );
    expect(answer.ResponseParameters).not.toHaveProperty(
      'method.response.header.Access-Control-Allow-Origin',
    );
    const template = answer.ResponseTemplates['application/json'];
    expect(template).toContain(
      "#if($origin == 'https://incidents.example.com' || $origin == 'http://localhost:5173')",
    );
    expect(template).toContain('$context.responseOverride.header.Access-Control-Allow-Origin = $origin');
    // Every header an answer sets is declared on the method's response.
    expect(Object.keys(options.MethodResponses[0].ResponseParameters).sort()).toEqual(
      [
        ...Object.keys(answer.ResponseParameters),
        'method.response.header.Access-Control-Allow-Origin',
      ].sort(),
    );
    expect(r.ApiGatewayDeployment123.DependsOn).toEqual(['ApiGatewayMethodHealthGet', ...added]);
  });

  it("allows the headers and cache time of the functions' own CORS policy", () => {
    expect(cors.ALLOWED_HEADERS).toEqual([...CORS_ALLOWED_HEADERS]);
    expect(cors.MAX_AGE_SECONDS).toBe(CORS_MAX_AGE_SECONDS);
  });

  it('lets anyone send a preflight, still only through the listed endpoints', () => {
    const r = {
      ApiGatewayRestApi: { Type: 'AWS::ApiGateway::RestApi', Properties: {} as Record<string, Json> },
      ApiGatewayDeployment123: { Type: 'AWS::ApiGateway::Deployment', Properties: {} },
    };
    decorateApi(r, {
      ...parameters.defaults,
      corsOrigins: 'http://localhost:5173',
      allowedVpcEndpoints: 'vpce-0a1b',
    });
    expect(
      r.ApiGatewayRestApi.Properties.Policy.Statement.map((s: Json) => [s.Sid, s.Principal, s.Resource]),
    ).toEqual([
      ['AllowThisAccount', expect.anything(), 'execute-api:/*'],
      ['AllowCorsPreflight', '*', 'execute-api:/*/OPTIONS/*'],
      ['DenyUnlessListedVpcEndpoint', '*', 'execute-api:/*'],
    ]);
  });

  it('refuses an origin with its default port, which no browser sends', () => {
    expect(
      parameterProblems({ ...parameters.defaults, corsOrigins: 'https://tools.example.com:443' }),
    ).toEqual([
      'Parameter corsOrigins lists https://tools.example.com:443: leave out the default port, as browsers do',
    ]);
    expect(
      parameterProblems({ ...parameters.defaults, corsOrigins: 'https://tools.example.com:8443' }),
    ).toEqual([]);
  });

  it('refuses origins that are not exact', () => {
    for (const corsOrigins of [
      '*',
      'https://*.example.com',
      'https://a.example.com/path',
      "https://a.example.com'",
    ]) {
      expect(parameterProblems({ ...parameters.defaults, corsOrigins }), corsOrigins).toHaveLength(1);
    }
  });
});
