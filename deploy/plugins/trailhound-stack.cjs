// @ts-check
'use strict';
/**
 * A local Serverless Framework plugin for what serverless.yml cannot say on its own:
 * - checks every parameter (deploy/parameters.cjs) before anything is built, with clear messages;
 * - folds the template's conditions (foldConditions.cjs): parameters are known when the stack is
 *   packaged, so the template checked offline is exactly the template deployed;
 * - stage-wide throttling and metrics on the REST API stage (StageDescription of the framework's
 *   Deployment, whose logical id the framework makes up at packaging time);
 * - an optional resource policy that refuses every caller but the listed VPC endpoints or CIDRs;
 * - CORS preflights when origins are listed (cors.cjs);
 * - access logs, tracing and reserved concurrency (observability.cjs).
 */
const { PARAMETERS } = require('../parameters.cjs');
const { addCorsPreflights } = require('./cors.cjs');
const { foldConditions } = require('./foldConditions.cjs');
const { addObservability } = require('./observability.cjs');

/** @typedef {any} Json CloudFormation templates are free-form JSON. */

/** @param {string | undefined} value */
const list = (value) => (value ? String(value).split(',').filter(Boolean) : []);

/**
 * Why the resolved parameters cannot make a stack, or an empty list.
 * @param {Record<string, string | undefined>} params
 * @returns {string[]}
 */
const parameterProblems = (params) => {
  const problems = Object.entries(PARAMETERS)
    .filter(([name, { pattern }]) => !pattern.test(String(params[name] ?? '')))
    .map(([name, { pattern }]) => `Parameter ${name}=${params[name]} is not valid (expected ${pattern})`);
  // A browser's Origin never names the scheme's default port: such an entry would never match.
  for (const origin of list(params.corsOrigins)) {
    if (/^https:\/\/[^/]+:443$|^http:\/\/[^/]+:80$/.test(origin)) {
      problems.push(`Parameter corsOrigins lists ${origin}: leave out the default port, as browsers do`);
    }
  }
  if (list(params.regions).includes('us-east-1')) {
    problems.push(
      'Parameter regions lists us-east-1, which the table always includes: list only the other regions',
    );
  }
  return problems;
};

/**
 * Throttling and metrics on the stage, and the optional resource policy.
 * @param {Record<string, Json>} resources
 * @param {Record<string, string | undefined>} params
 */
const decorateApi = (resources, params) => {
  const [deploymentId] = Object.keys(resources).filter(
    (id) => resources[id].Type === 'AWS::ApiGateway::Deployment',
  );
  if (!deploymentId) throw new Error('No API Gateway deployment in the template');
  const rate = Number(params.throttleRateLimit);
  const burst = Number(params.throttleBurstLimit);
  resources[deploymentId].Properties.StageDescription = {
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
  };

  const vpces = list(params.allowedVpcEndpoints);
  const cidrs = list(params.allowedCidrs);
  if (vpces.length === 0 && cidrs.length === 0) return;
  const invoke = 'execute-api:/*';
  const thisAccount = {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']],
  };
  /** @type {[string, Json][]} */
  const denials = [];
  // One Deny per kind: a caller must come through a listed endpoint and from a listed range.
  if (vpces.length)
    denials.push(['DenyUnlessListedVpcEndpoint', { StringNotEquals: { 'aws:SourceVpce': vpces } }]);
  if (cidrs.length) denials.push(['DenyUnlessListedCidr', { NotIpAddress: { 'aws:SourceIp': cidrs } }]);
  resources.ApiGatewayRestApi.Properties.Policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowThisAccount',
        Effect: 'Allow',
        Principal: { AWS: thisAccount },
        Action: 'execute-api:Invoke',
        Resource: invoke,
      },
      // Browsers never sign a preflight: the OPTIONS methods (cors.cjs) answer anyone, still
      // only through the listed endpoints and ranges.
      ...(list(params.corsOrigins).length
        ? [
            {
              Sid: 'AllowCorsPreflight',
              Effect: 'Allow',
              Principal: '*',
              Action: 'execute-api:Invoke',
              Resource: 'execute-api:/*/OPTIONS/*',
            },
          ]
        : []),
      ...denials.map(([Sid, Condition]) => ({
        Sid,
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: invoke,
        Condition,
      })),
    ],
  };
};

class TrailhoundStack {
  /** @param {Json} serverless the framework instance */
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:package:initialize': () => this.checkParameters(),
      'before:aws:package:finalize:saveServiceState': () => this.finishTemplate(),
    };
  }

  /** @returns {Record<string, string | undefined>} the parameters as resolved by the framework */
  params() {
    return this.serverless.service.custom.parameters;
  }

  checkParameters() {
    const [problem] = parameterProblems(this.params());
    if (problem) throw new this.serverless.classes.Error(problem);
  }

  finishTemplate() {
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    foldConditions(template);
    addCorsPreflights(template.Resources, this.params());
    decorateApi(template.Resources, this.params());
    addObservability(template.Resources, this.params(), {
      service: this.serverless.service.service,
      stage: this.serverless.service.provider.stage,
    });
  }
}

module.exports = TrailhoundStack;
module.exports.parameterProblems = parameterProblems;
module.exports.decorateApi = decorateApi;
