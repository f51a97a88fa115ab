// @ts-check
'use strict';
/**
 * serverless.yml's `provider.apiGateway`, in the framework's own settings, from the parameters:
 * - with `apiKeys=true`, an API key in a usage plan of 10,000 requests a day, throttled as the stage;
 * - with `allowedVpcEndpoints` or `allowedCidrs`, a resource policy that lets this account's
 *   signed callers in only through a listed endpoint and from a listed range (one Deny per kind:
 *   a caller must pass both), and lets browsers' unsigned CORS preflights (OPTIONS) in on the same
 *   terms when `corsOrigins` lists origins.
 */

/** @typedef {any} Json CloudFormation and framework settings are free-form JSON. */

/** @param {string | undefined} value */
const list = (value) => (value ? String(value).split(',').filter(Boolean) : []);

/**
 * @param {Record<string, string>} params apiKeys, allowedVpcEndpoints, allowedCidrs, corsOrigins,
 *   throttleRateLimit, throttleBurstLimit
 * @param {{ stage: string }} names
 * @returns {Json}
 */
const apiGatewaySettings = (params, { stage }) => {
  const vpces = list(params.allowedVpcEndpoints);
  const cidrs = list(params.allowedCidrs);
  const invoke = 'execute-api:/*';
  /** @type {Json[]} */
  const denials = [];
  if (vpces.length > 0)
    denials.push({
      Sid: 'DenyUnlessListedVpcEndpoint',
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: invoke,
      Condition: { StringNotEquals: { 'aws:SourceVpce': vpces } },
    });
  if (cidrs.length > 0)
    denials.push({
      Sid: 'DenyUnlessListedCidr',
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: invoke,
      Condition: { NotIpAddress: { 'aws:SourceIp': cidrs } },
    });
  const resourcePolicy =
    denials.length === 0
      ? undefined
      : [
          {
            Sid: 'AllowThisAccount',
            Effect: 'Allow',
            Principal: {
              // The framework takes a list of ARNs here.
              AWS: [
                {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root'],
                  ],
                },
              ],
            },
            Action: 'execute-api:Invoke',
            Resource: invoke,
          },
          // Browsers never sign a preflight: the OPTIONS methods answer anyone, still only through
          // the listed endpoints and ranges.
          ...(list(params.corsOrigins).length > 0
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
          ...denials,
        ];
  return {
    shouldStartNameWithService: true,
    ...(params.apiKeys === 'true'
      ? {
          apiKeys: [{ name: `trailhound-${stage}-integrations` }],
          usagePlan: {
            throttle: {
              rateLimit: Number(params.throttleRateLimit),
              burstLimit: Number(params.throttleBurstLimit),
            },
            quota: { limit: 10000, period: 'DAY' },
          },
        }
      : {}),
    ...(resourcePolicy ? { resourcePolicy } : {}),
  };
};

/** @param {{ resolveVariable: (variable: string) => Promise<any> }} framework */
module.exports = async ({ resolveVariable }) =>
  apiGatewaySettings(await resolveVariable('self:custom.parameters'), {
    stage: String(await resolveVariable('sls:stage')),
  });
module.exports.apiGatewaySettings = apiGatewaySettings;
