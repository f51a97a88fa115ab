/**
 * lambda-function-code-updated: a Lambda function's code replaced.
 *
 * Verified on invictus 0ea8187c-26a8-425d-8daf-48479996e44d (UpdateFunctionCode20150331v2),
 * stratus 4672b74f-2466-4784-b3fb-5b4db904a995 (UpdateFunctionCode20150331v2), invictus
 * e01946e6-d206-4927-b90a-9ae3b723b9e6 (UpdateFunctionCode20150331v2).
 */
import { defineDetection } from './detection.js';
import { stratus } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const lambdaFunctionCodeUpdated = defineDetection({
  name: 'lambda-function-code-updated',
  title: 'Lambda function code replaced',
  severity: 'low',
  techniques: ['T1525', 'T1648'],
  description:
    'UpdateFunctionCode replaces the code of an existing function; done outside the deployment pipeline it plants code that runs with the function role on every invocation.',
  benignCauses: ['Every normal deployment (filter on the CI/CD principal)'],
  references: [stratus('aws.persistence.lambda-overwrite-code')],
  condition: `eventsource = 'lambda.amazonaws.com'
    AND eventname LIKE 'UpdateFunctionCode%'`,
  summary: `concat(
    ${ACTOR},
    ${did('replaced the code of', 'replace the code of')},
    'function ',
    coalesce(${param('$.functionName')}, '?'),
    ${FAILURE},
    '.')`,
});
