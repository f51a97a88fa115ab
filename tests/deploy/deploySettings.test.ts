/**
 * The deployment's settings, each module on its own: the parameter checks, the functions and the
 * API settings handed to the framework, the template's CloudFormation parameters, and the stage
 * settings the stack plugin adds (the packaged template is checked in template.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import apiGateway from '../../deploy/apiGateway.cjs';
import functions from '../../deploy/functions.cjs';
import parameters from '../../deploy/parameters.cjs';
import { ACCESS_LOG_FORMAT, configureStage } from '../../deploy/plugins/stage.cjs';
import stackPlugin from '../../deploy/plugins/trailhound-stack.cjs';
import templateParameters from '../../deploy/templateParameters.cjs';
import { FUNCTIONS_FILE } from '../../scripts/generate.js';
import { functionsDocument, LAMBDA_FUNCTIONS } from '../../src/lambda/functions.js';
import { CORS_ALLOWED_HEADERS, CORS_MAX_AGE_SECONDS } from '../../src/lib/http/cors.js';
import { API_ROUTES } from '../../src/routes.js';

const { parameterProblems } = stackPlugin;
const { lambdaFunctions, ROLES } = functions;
const { apiGatewaySettings } = apiGateway;
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

  it('refuses CORS origins that are not exact', () => {
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

describe('lambdaFunctions', () => {
  const generated = () => functionsDocument();
  const names = { workGroup: 'trailhound-prod' };

  it('makes one function per route, with its http event as the route declares it, and the event functions', () => {
    const made = lambdaFunctions(generated(), parameters.defaults, names);
    expect(Object.keys(made)).toEqual(LAMBDA_FUNCTIONS);
    for (const route of API_ROUTES) {
      const fn = made[route.name];
      expect(fn.handler).toBe(`src/lambda/${route.name}.handler`);
      expect(fn.role).toBe(ROLES[route.name as keyof typeof ROLES]);
      expect(fn.events).toEqual([
        {
          http: {
            path: route.resource.slice(1),
            method: route.method.toLowerCase(),
            authorizer: 'aws_iam',
            private: false,
          },
        },
      ]);
      expect(fn.reservedConcurrency).toBe(5);
    }
    expect(made.notifyExecution.events[0].eventBridge.pattern.detail.workgroupName).toEqual([
      'trailhound-prod',
    ]);
    expect(made.compactDays.environment).toEqual({
      TRAILHOUND_COMPACT_WORKGROUP: 'trailhound-prod-compaction',
    });
  });

  it('requires the API key with apiKeys, and adds the framework CORS preflight of the same policy the handlers answer with', () => {
    const made = lambdaFunctions(
      generated(),
      { ...parameters.defaults, apiKeys: 'true', corsOrigins: 'https://a.example.com,http://localhost:5173' },
      names,
    );
    expect(made.getExecution.events[0].http).toMatchObject({
      private: true,
      cors: {
        origins: ['https://a.example.com', 'http://localhost:5173'],
        headers: [...CORS_ALLOWED_HEADERS],
        allowCredentials: false,
        maxAge: CORS_MAX_AGE_SECONDS,
      },
    });
  });

  it('reserves nothing at reservedConcurrency 0 (the framework would throttle every function to none)', () => {
    const made = lambdaFunctions(generated(), { ...parameters.defaults, reservedConcurrency: '0' }, names);
    for (const fn of Object.values(made) as Json[]) expect(fn).not.toHaveProperty('reservedConcurrency');
  });

  it('refuses a function it has no settings for', () => {
    const document = generated();
    document.http.push({ function: 'newRoute', method: 'get', path: 'v1/new' });
    expect(() => lambdaFunctions(document, parameters.defaults, names)).toThrow(/no settings for newRoute/);
  });

  it('reads deploy/generated/functions.json, which is what the route table generates (npm run generate)', () => {
    expect(JSON.parse(readFileSync(FUNCTIONS_FILE, 'utf8'))).toEqual(functionsDocument());
  });
});

describe('apiGatewaySettings', () => {
  it('by default: no API key, no resource policy', () => {
    expect(apiGatewaySettings(parameters.defaults, { stage: 'dev' })).toEqual({
      shouldStartNameWithService: true,
    });
  });

  it('an API key in a usage plan throttled as the stage, with apiKeys', () => {
    expect(apiGatewaySettings({ ...parameters.defaults, apiKeys: 'true' }, { stage: 'prod' })).toMatchObject({
      apiKeys: [{ name: 'trailhound-prod-integrations' }],
      usagePlan: { throttle: { rateLimit: 20, burstLimit: 40 }, quota: { limit: 10000, period: 'DAY' } },
    });
  });

  it('refuses every caller outside the listed endpoints and ranges, one Deny per kind, and lets preflights through on the same terms', () => {
    const { resourcePolicy } = apiGatewaySettings(
      {
        ...parameters.defaults,
        allowedVpcEndpoints: 'vpce-0a1b',
        allowedCidrs: '10.0.0.0/8,192.0.2.0/24',
        corsOrigins: 'http://localhost:5173',
      },
      { stage: 'dev' },
    );
    expect(
      resourcePolicy.map((s: Json) => [s.Sid, s.Effect, s.Principal === '*' ? '*' : 'account', s.Resource]),
    ).toEqual([
      ['AllowThisAccount', 'Allow', 'account', 'execute-api:/*'],
      ['AllowCorsPreflight', 'Allow', '*', 'execute-api:/*/OPTIONS/*'],
      ['DenyUnlessListedVpcEndpoint', 'Deny', '*', 'execute-api:/*'],
      ['DenyUnlessListedCidr', 'Deny', '*', 'execute-api:/*'],
    ]);
    expect(resourcePolicy[3].Condition).toEqual({
      NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.0.2.0/24'] },
    });
    expect(resourcePolicy[2].Condition).toEqual({ StringNotEquals: { 'aws:SourceVpce': ['vpce-0a1b'] } });
  });
});

describe('templateParameters', () => {
  it('declares each parameter the conditions read, defaulting to the packaged value, with its own pattern', () => {
    const { Parameters } = templateParameters.templateParameters({
      ...parameters.defaults,
      kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    const conditions = readFileSync(
      new URL('../../deploy/resources/conditions.yml', import.meta.url),
      'utf8',
    );
    const referenced = [...conditions.matchAll(/Ref: (\w+)/g)].map((m) => m[1]);
    expect(Object.keys(Parameters).sort()).toEqual([...new Set(referenced)].sort());
    expect(Parameters.KmsKeyArn).toEqual({
      Type: 'String',
      Default: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      AllowedPattern: parameters.PARAMETERS.kmsKeyArn?.pattern.source,
      Description: 'KMS key for the log bucket and the trail; empty: SSE-S3',
    });
    expect(Parameters.ExistingBucket?.Default).toBe('');
  });
});

describe('configureStage', () => {
  const resources = (): Record<string, Json> => ({
    ApiGatewayDeployment1: { Type: 'AWS::ApiGateway::Deployment', Properties: {}, DependsOn: ['M1'] },
  });

  it('throttles the stage, turns its metrics on, and writes one JSON access log line per request', () => {
    const r = resources();
    configureStage(r, { ...parameters.defaults }, { service: 'trailhound', stage: 'prod' });
    expect(r.ApiGatewayDeployment1.Properties.StageDescription).toMatchObject({
      ThrottlingRateLimit: 20,
      ThrottlingBurstLimit: 40,
      MetricsEnabled: true,
      TracingEnabled: false,
      AccessLogSetting: {
        DestinationArn: { 'Fn::GetAtt': ['ApiAccessLogGroup', 'Arn'] },
        Format: ACCESS_LOG_FORMAT,
      },
    });
    expect(r.ApiAccessLogGroup.Properties.LogGroupName).toBe('/aws/api-gateway/trailhound-prod-access');
    expect(r.ApiGatewayAccountSettings.Properties.CloudWatchRoleArn).toEqual({
      'Fn::GetAtt': ['ApiGatewayCloudWatchLogsRole', 'Arn'],
    });
    expect(r.ApiGatewayDeployment1.DependsOn).toEqual(['M1', 'ApiGatewayAccountSettings']);
  });

  it('traces the stage when asked, and leaves the account role to the account when asked', () => {
    const r = resources();
    configureStage(
      r,
      { ...parameters.defaults, tracing: 'true', apiGatewayLogsRole: 'false' },
      { service: 'trailhound', stage: 'dev' },
    );
    expect(r.ApiGatewayDeployment1.Properties.StageDescription.TracingEnabled).toBe(true);
    expect(r).not.toHaveProperty('ApiGatewayAccountSettings');
    expect(r.ApiGatewayDeployment1.DependsOn).toEqual(['M1']);
  });

  it('fails loudly unless the framework made exactly one deployment', () => {
    expect(() => configureStage({}, parameters.defaults, { service: 's', stage: 'd' })).toThrow(
      /one API Gateway deployment/,
    );
  });
});
