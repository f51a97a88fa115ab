// @ts-check
'use strict';
/**
 * CORS preflights on the deployed API, when `corsOrigins` lists origins: each resource gets an
 * OPTIONS method that API Gateway answers itself (a MOCK integration, no authorization: browsers
 * never sign a preflight), with the resource's methods, the headers a signed call sends, and the
 * request's Origin only when it is listed (a mapping template sets it through
 * $context.responseOverride, as in "Override your API's request and response parameters and
 * status codes", API Gateway developer guide). The answers of the methods themselves carry the
 * headers from the functions (src/lib/http/middleware/cors.ts), which read the same list.
 * The lists below are the ones of src/lib/http/cors.ts (a test checks that they agree).
 */

/** @typedef {any} Json CloudFormation templates are free-form JSON. */

const ALLOWED_HEADERS = [
  'Accept',
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  // The AWS SDK's SigV4 signer sends the body's hash unless told not to.
  'X-Amz-Content-Sha256',
  'X-Amz-Date',
  'X-Amz-Security-Token',
  'X-Api-Key',
];
const MAX_AGE_SECONDS = 600;

/** @param {string | undefined} value */
const list = (value) => (value ? String(value).split(',').filter(Boolean) : []);

/**
 * The mapping template that names the Origin when it is one of `origins` (each checked against
 * the parameter's pattern, so none can break out of its quotes).
 * @param {string[]} origins
 */
const originTemplate = (origins) =>
  [
    "#set($origin = $input.params().header.get('Origin'))",
    '#if("$!origin" == "")#set($origin = $input.params().header.get(\'origin\'))#end',
    `#if(${origins.map((o) => `$origin == '${o}'`).join(' || ')})`,
    '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
    '#end',
  ].join('\n');

/**
 * @param {Record<string, Json>} resources the template's resources, changed in place
 * @param {Record<string, string | undefined>} params the resolved parameters
 * @returns {string[]} the logical ids of the OPTIONS methods added
 */
const addCorsPreflights = (resources, params) => {
  const origins = list(params.corsOrigins);
  if (origins.length === 0) return [];
  /** @type {Map<string, { resourceId: Json, methods: string[] }>} */
  const byResource = new Map();
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::ApiGateway::Method') continue;
    const { ResourceId, HttpMethod } = resource.Properties;
    const key = JSON.stringify(ResourceId);
    const entry = byResource.get(key) ?? { resourceId: ResourceId, methods: [] };
    entry.methods.push(HttpMethod);
    byResource.set(key, entry);
  }
  const added = [];
  for (const { resourceId, methods } of byResource.values()) {
    const resourceName = String(resourceId?.Ref ?? '');
    if (!resourceName.startsWith('ApiGatewayResource')) {
      throw new Error(`An API method on ${JSON.stringify(resourceId)}, not on a resource of the template`);
    }
    const id = `${resourceName.replace('ApiGatewayResource', 'ApiGatewayMethod')}Options`;
    const header = (/** @type {string} */ name) => `method.response.header.${name}`;
    const staticHeaders = {
      [header('Access-Control-Allow-Methods')]: `'${[...methods, 'OPTIONS'].join(', ')}'`,
      [header('Access-Control-Allow-Headers')]: `'${ALLOWED_HEADERS.join(', ')}'`,
      [header('Access-Control-Max-Age')]: `'${MAX_AGE_SECONDS}'`,
      [header('Vary')]: "'Origin'",
    };
    resources[id] = {
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: { Ref: 'ApiGatewayRestApi' },
        ResourceId: resourceId,
        HttpMethod: 'OPTIONS',
        AuthorizationType: 'NONE',
        ApiKeyRequired: false,
        MethodResponses: [
          {
            StatusCode: '204',
            ResponseParameters: Object.fromEntries(
              [...Object.keys(staticHeaders), header('Access-Control-Allow-Origin')].map((h) => [h, false]),
            ),
          },
        ],
        Integration: {
          Type: 'MOCK',
          RequestTemplates: { 'application/json': '{"statusCode": 204}' },
          IntegrationResponses: [
            {
              StatusCode: '204',
              ResponseParameters: staticHeaders,
              ResponseTemplates: { 'application/json': originTemplate(origins) },
            },
          ],
        },
      },
    };
    added.push(id);
  }
  // The stage's deployment must come after every method it serves.
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::ApiGateway::Deployment') continue;
    resource.DependsOn = [...[resource.DependsOn ?? []].flat(), ...added];
  }
  return added;
};

module.exports = { addCorsPreflights, ALLOWED_HEADERS, MAX_AGE_SECONDS };
