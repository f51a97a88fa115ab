'use strict';
/**
 * A local Serverless Framework plugin for what serverless.yml cannot say on its own:
 * - checks the parameters before anything is built (regions, dates, ids), with clear messages;
 * - folds the template's conditions: parameters are known when the stack is packaged, so each
 *   Fn::If is replaced by its chosen branch and resources whose condition is false are dropped.
 *   The template checked offline is then exactly the template deployed, with no dead branches;
 * - stage-wide throttling and metrics on the REST API stage (StageDescription of the framework's
 *   Deployment, whose logical id the framework makes up at packaging time);
 * - an optional resource policy that refuses every caller but the listed VPC endpoints or CIDRs.
 */
const PARAMS = {
  regions: /^([a-z]{2}(-[a-z]+)+-\d)?(,[a-z]{2}(-[a-z]+)+-\d)*$/,
  projectionStart: /^\d{4}\/\d{2}\/\d{2}$/,
  organizationId: /^(o-[a-z0-9]{10,32})?$/,
  accounts: /^(\d{12}(,\d{12})*)?$/,
  existingBucket: /^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])?$/,
  kmsKeyArn: /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+)?$/,
  allowedVpcEndpoints: /^(vpce-[0-9a-f]+(,vpce-[0-9a-f]+)*)?$/,
  allowedCidrs: /^([0-9a-f.:]+\/\d{1,3}(,[0-9a-f.:]+\/\d{1,3})*)?$/,
  scanCutoffBytes: /^\d{8,}$/,
  throttleRateLimit: /^\d+$/,
  throttleBurstLimit: /^\d+$/,
  createTrail: /^(true|false)$/,
  apiKeys: /^(true|false)$/,
  s3DataEvents: /^(true|false)$/,
  lambdaDataEvents: /^(true|false)$/,
};

const list = (value) => (value ? String(value).split(',').filter(Boolean) : []);
const NO_VALUE = Symbol('AWS::NoValue');

/** The value of a condition expression whose operands are all literals, or undefined. */
const evaluate = (expression, conditions, seen = new Set()) => {
  if (typeof expression === 'boolean') return expression;
  if (!expression || typeof expression !== 'object') return undefined;
  const [[fn, args]] = Object.entries(expression);
  const all = (values) => (values.every((v) => v !== undefined) ? values : undefined);
  switch (fn) {
    case 'Condition': {
      if (seen.has(args)) return undefined;
      return evaluate(conditions[args], conditions, new Set([...seen, args]));
    }
    case 'Fn::Equals':
      return typeof args[0] === 'string' && typeof args[1] === 'string' ? args[0] === args[1] : undefined;
    case 'Fn::Not': {
      const v = evaluate(args[0], conditions, seen);
      return v === undefined ? undefined : !v;
    }
    case 'Fn::And': {
      const vs = all(args.map((a) => evaluate(a, conditions, seen)));
      return vs && vs.every(Boolean);
    }
    case 'Fn::Or': {
      const vs = all(args.map((a) => evaluate(a, conditions, seen)));
      return vs && vs.some(Boolean);
    }
    default:
      return undefined;
  }
};

/** Replaces each Fn::If on a known condition by its branch, and drops AWS::NoValue. */
const fold = (value, known) => {
  if (Array.isArray(value)) return value.map((v) => fold(v, known)).filter((v) => v !== NO_VALUE);
  if (!value || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref' && value.Ref === 'AWS::NoValue') return NO_VALUE;
  if (keys.length === 1 && keys[0] === 'Fn::If' && known.has(value['Fn::If'][0])) {
    const [name, whenTrue, whenFalse] = value['Fn::If'];
    return fold(known.get(name) ? whenTrue : whenFalse, known);
  }
  const out = {};
  for (const key of keys) {
    const folded = fold(value[key], known);
    if (folded !== NO_VALUE) out[key] = folded;
  }
  return out;
};

const foldConditions = (template) => {
  const conditions = template.Conditions ?? {};
  const known = new Map();
  for (const name of Object.keys(conditions)) {
    const v = evaluate({ Condition: name }, conditions);
    if (v !== undefined) known.set(name, v);
  }
  const dropped = new Set();
  for (const section of ['Resources', 'Outputs']) {
    for (const [id, item] of Object.entries(template[section] ?? {})) {
      if (item.Condition && known.has(item.Condition)) {
        if (!known.get(item.Condition)) {
          delete template[section][id];
          dropped.add(id);
        } else delete item.Condition;
      }
    }
  }
  for (const section of ['Resources', 'Outputs']) {
    for (const [id, item] of Object.entries(template[section] ?? {})) {
      const folded = fold(item, known);
      if (folded.DependsOn) {
        const deps = [].concat(folded.DependsOn).filter((d) => !dropped.has(d));
        if (deps.length) folded.DependsOn = deps;
        else delete folded.DependsOn;
      }
      template[section][id] = folded;
    }
  }
  for (const name of known.keys()) delete conditions[name];
  if (Object.keys(conditions).length === 0) delete template.Conditions;
};

class TrailhoundStack {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:package:initialize': () => this.checkParameters(),
      'before:aws:package:finalize:saveServiceState': () => this.finishTemplate(),
    };
  }

  /** The parameters as resolved by the framework (defaults, stage values, --param). */
  params() {
    return this.serverless.service.custom.parameters;
  }

  checkParameters() {
    const params = this.params();
    for (const [name, pattern] of Object.entries(PARAMS)) {
      if (!pattern.test(String(params[name] ?? ''))) {
        throw new this.serverless.classes.Error(`Parameter ${name}=${params[name]} is not valid (expected ${pattern})`);
      }
    }
    if (list(params.regions).includes('us-east-1')) {
      throw new this.serverless.classes.Error(
        'Parameter regions lists us-east-1, which the table always includes: list only the other regions',
      );
    }
  }

  finishTemplate() {
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    foldConditions(template);
    this.decorateApi(template.Resources);
  }

  decorateApi(resources) {
    const params = this.params();
    const [deploymentId] = Object.keys(resources).filter((id) => resources[id].Type === 'AWS::ApiGateway::Deployment');
    if (!deploymentId) throw new this.serverless.classes.Error('No API Gateway deployment in the template');
    const rate = Number(params.throttleRateLimit);
    const burst = Number(params.throttleBurstLimit);
    resources[deploymentId].Properties.StageDescription = {
      ThrottlingRateLimit: rate,
      ThrottlingBurstLimit: burst,
      MetricsEnabled: true,
      MethodSettings: [
        { ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: rate, ThrottlingBurstLimit: burst, MetricsEnabled: true },
      ],
    };

    const vpces = list(params.allowedVpcEndpoints);
    const cidrs = list(params.allowedCidrs);
    if (vpces.length === 0 && cidrs.length === 0) return;
    const invoke = 'execute-api:/*';
    const thisAccount = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] };
    const denials = [];
    // One Deny per kind: a caller must come through a listed endpoint and from a listed range.
    if (vpces.length) denials.push(['DenyUnlessListedVpcEndpoint', { StringNotEquals: { 'aws:SourceVpce': vpces } }]);
    if (cidrs.length) denials.push(['DenyUnlessListedCidr', { NotIpAddress: { 'aws:SourceIp': cidrs } }]);
    resources.ApiGatewayRestApi.Properties.Policy = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'AllowThisAccount', Effect: 'Allow', Principal: { AWS: thisAccount }, Action: 'execute-api:Invoke', Resource: invoke },
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
  }
}

module.exports = TrailhoundStack;
module.exports.foldConditions = foldConditions;
