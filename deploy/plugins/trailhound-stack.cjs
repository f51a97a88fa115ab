// @ts-check
'use strict';
/**
 * A local Serverless Framework plugin for the two things that have no native form in the template
 * the framework packages:
 * - every parameter (deploy/parameters.cjs) checked before anything is built, with clear messages
 *   (the framework's params have no patterns);
 * - the REST API stage's settings (stage.cjs): throttling, metrics, access logs and X-Ray
 *   tracing. osls does have `provider.logs.restApi`, `provider.tracing.apiGateway` and
 *   `provider.apiGateway.metrics`, but applies them with SDK calls after the stack is deployed
 *   (its api-gateway/lib/hack/update-stage.js) and sets the account's CloudWatch role through a
 *   custom resource of its own (a Lambda function with IAM rights): none of that is in the
 *   template, so none of it could be checked offline. Stage-wide throttling has no setting at all.
 * Everything else is the framework's own: functions, http events, CORS preflights, API keys and
 * usage plan, the resource policy, reserved concurrency, function tracing (deploy/functions.cjs,
 * deploy/apiGateway.cjs); and CloudFormation evaluates the template's conditions itself.
 */
const { PARAMETERS } = require('../parameters.cjs');
const { configureStage } = require('./stage.cjs');

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

class TrailhoundStack {
  /** @param {any} serverless the framework instance */
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
    configureStage(template.Resources, this.params(), {
      service: this.serverless.service.service,
      stage: this.serverless.service.provider.stage,
    });
  }
}

module.exports = TrailhoundStack;
module.exports.parameterProblems = parameterProblems;
