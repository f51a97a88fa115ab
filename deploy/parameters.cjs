// @ts-check
'use strict';
/**
 * The deployment's parameters, listed once: serverless.yml takes its defaults from `defaults`,
 * the stack plugin checks every resolved value against its pattern before anything is packaged,
 * and a test checks the README's parameter table against `PARAMETERS`.
 * A value is given with `--param="name=value"` (or per stage under `params:`).
 */

/**
 * @typedef {object} Parameter
 * @property {string} default the value when none is given
 * @property {RegExp} pattern what a value must match, whole
 * @property {string} meaning one line for the README
 * @property {string} [shownDefault] how the README shows a default too long to print
 * @property {true} [inTemplate] also a parameter of the CloudFormation template (templateParameters.cjs),
 *   for the conditions that CloudFormation evaluates
 */

const bool = /^(true|false)$/;
const REGION = '[a-z]{2}(-[a-z]+)+-\\d';
const ORIGIN = 'https?://(\\*\\.)?[a-z0-9.-]+(:\\d{1,5})?';

/** @type {Readonly<Record<string, Parameter>>} */
const PARAMETERS = {
  existingBucket: {
    inTemplate: true,
    default: '',
    pattern: /^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])?$/,
    meaning:
      'a bucket an existing trail already writes to, and then no bucket or trail is created; empty: a new private bucket',
  },
  createTrail: {
    inTemplate: true,
    default: 'true',
    pattern: bool,
    meaning: 'create a trail writing to the new bucket',
  },
  organizationId: {
    inTemplate: true,
    default: '',
    pattern: /^(o-[a-z0-9]{10,32})?$/,
    meaning: '`o-…`: an organization trail, and the table reads `AWSLogs/<org>/<account>/…`',
  },
  accounts: {
    inTemplate: true,
    default: '',
    pattern: /^(\d{12}(,\d{12})*)?$/,
    meaning: 'accounts the table projects, comma-separated; empty: this account',
  },
  regions: {
    inTemplate: true,
    default:
      'us-east-2,us-west-1,us-west-2,ca-central-1,eu-west-1,eu-west-2,eu-west-3,eu-central-1,eu-north-1,eu-south-1,ap-south-1,ap-northeast-1,ap-northeast-2,ap-northeast-3,ap-southeast-1,ap-southeast-2,sa-east-1',
    pattern: new RegExp(`^(${REGION})?(,${REGION})*$`),
    meaning: 'regions the table projects besides us-east-1, which is always included (listing it is refused)',
    shownDefault: '17 commercial regions',
  },
  projectionStart: {
    default: '2024/01/01',
    pattern: /^\d{4}\/\d{2}\/\d{2}$/,
    meaning: 'first day the table projects, `yyyy/MM/dd`',
  },
  scanCutoffBytes: {
    default: '10737418240',
    pattern: /^\d{8,}$/,
    meaning: 'Athena cancels a query that would scan more (10 GiB, about 0.05 USD at 5 USD per TB)',
  },
  maxBytesScanned: {
    default: '',
    pattern: /^(\d{7,})?$/,
    meaning:
      'default budget of every execution in bytes scanned, refused before it starts when its estimate is over (`maxBytesScanned` in a request replaces it, up to the scan cutoff); empty: none, only the scan cutoff',
  },
  pricePerTbUsd: {
    default: '5',
    pattern: /^\d+(\.\d+)?$/,
    meaning: "Athena's price per TB scanned in USD, for the estimates' cost (5 in most regions)",
  },
  csvLinkSeconds: { default: '900', pattern: /^\d+$/, meaning: 'lifetime of a presigned CSV link' },
  maxWindowDays: { default: '366', pattern: /^\d+$/, meaning: 'longest window a request may ask for' },
  kmsKeyArn: {
    inTemplate: true,
    default: '',
    pattern: /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+)?$/,
    meaning: 'KMS key for the log bucket and the trail; empty: SSE-S3',
  },
  logTransitionDays: {
    inTemplate: true,
    default: '90',
    pattern: /^\d+$/,
    meaning: 'days before logs move to Glacier Instant Retrieval; `0` never',
  },
  resultsExpireDays: { default: '30', pattern: /^[1-9]\d*$/, meaning: 'days query results are kept' },
  s3DataEvents: {
    inTemplate: true,
    default: 'false',
    pattern: bool,
    meaning: 'record S3 object data events',
  },
  lambdaDataEvents: {
    inTemplate: true,
    default: 'false',
    pattern: bool,
    meaning: 'record Lambda invoke data events',
  },
  apiKeys: {
    default: 'false',
    pattern: bool,
    meaning: 'also require an API key (one is created, in a usage plan of 10,000 requests a day)',
  },
  allowedVpcEndpoints: {
    default: '',
    pattern: /^(vpce-[0-9a-f]+(,vpce-[0-9a-f]+)*)?$/,
    meaning: 'comma-separated VPC endpoint ids; when set, every other caller is refused',
  },
  allowedCidrs: {
    default: '',
    pattern: /^([0-9a-f.:]+\/\d{1,3}(,[0-9a-f.:]+\/\d{1,3})*)?$/,
    meaning: 'comma-separated CIDRs; when set, every other caller is refused',
  },
  auditors: {
    default: '',
    pattern:
      /^((arn:aws[a-z-]*:(iam|sts)::\d{12}:[\w+=,.@/-]+|apiKey:[A-Za-z0-9]+)(,(arn:aws[a-z-]*:(iam|sts)::\d{12}:[\w+=,.@/-]+|apiKey:[A-Za-z0-9]+))*)?$/,
    meaning:
      "comma-separated principal ARNs (or `apiKey:<id>`) that may read and cancel every caller's executions; everyone else sees only their own",
  },
  notifyOrigins: {
    inTemplate: true,
    default: '',
    pattern: new RegExp(`^(${ORIGIN}(,${ORIGIN})*)?$`),
    meaning:
      'comma-separated origins callbacks may go to (`https://hooks.example.com`, or `https://*.example.com`); empty: no callbacks. Their signing key is generated into Secrets Manager',
  },
  corsOrigins: {
    default: '',
    pattern: /^(https?:\/\/[a-z0-9.-]+(:\d{1,5})?(,https?:\/\/[a-z0-9.-]+(:\d{1,5})?)*)?$/,
    meaning:
      'comma-separated exact origins of internal web tools whose pages may call the API (CORS); empty: none',
  },
  tracing: {
    inTemplate: true,
    default: 'false',
    pattern: bool,
    meaning: 'X-Ray tracing of the API stage and every function',
  },
  apiGatewayLogsRole: {
    default: 'true',
    pattern: bool,
    meaning:
      "create the account's API Gateway CloudWatch role that access logs need (`false` when the account has one already)",
  },
  reservedConcurrency: {
    default: '5',
    pattern: /^\d{1,4}$/,
    meaning:
      'concurrent executions reserved for each function (`0`: none reserved, the account pool is shared)',
  },
  throttleRateLimit: { default: '20', pattern: /^\d+$/, meaning: 'stage throttling, requests per second' },
  throttleBurstLimit: { default: '40', pattern: /^\d+$/, meaning: 'stage throttling, burst' },
};

/**
 * The README's row for a parameter: name, default, meaning (tests/docs checks the table).
 * @param {string} name
 * @param {Parameter} parameter
 */
const readmeRow = (name, parameter) => {
  const shown = parameter.shownDefault ?? (parameter.default === '' ? '(empty)' : `\`${parameter.default}\``);
  return `| \`${name}\` | ${shown} | ${parameter.meaning} |`;
};

/** @type {Record<string, string>} */
const defaults = Object.fromEntries(Object.entries(PARAMETERS).map(([name, p]) => [name, p.default]));

module.exports = { PARAMETERS, defaults, readmeRow };
