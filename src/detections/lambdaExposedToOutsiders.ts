/**
 * lambda-exposed-to-outsiders: a Lambda permission for everyone or another account, and
 * function URLs created or changed.
 *
 * Verified on invictus b1f37249-bb39-4b9c-a302-e6d0f807d70c (AddPermission20150331v2), stratus
 * b67a9bba-d9da-4980-bf74-baed881b117d (AddPermission20150331v2).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, OWN_ACCOUNT, param } from './sqlFragments.js';

export const lambdaExposedToOutsiders = defineDetection({
  name: 'lambda-exposed-to-outsiders',
  title: 'Lambda function opened to anyone, another account, or a public URL',
  severity: 'high',
  techniques: ['T1098', 'T1648', 'T1190'],
  description:
    'AddPermission whose principal is "*" or an account other than the recipient account, and CreateFunctionUrlConfig/UpdateFunctionUrlConfig (with AuthType NONE, anyone on the internet). Outsiders can then invoke the function, a persistent backdoor into whatever its role can do. Own-account principals are ignored by removing the recipient account id before matching.',
  benignCauses: [
    'Cross-account event sources (S3, SNS in another owned account)',
    'Public function URLs by design',
    'Webhooks and simple public APIs',
  ],
  references: [
    stratus('aws.persistence.lambda-backdoor-function'),
    sigma('aws_lambda_function_url.yml (AWS Created Malicious Lambda Function URL Configuration)'),
  ],
  condition: `eventsource = 'lambda.amazonaws.com'
    AND ((eventname LIKE 'AddPermission%'
        AND (${param('$.principal')} = '*'
          OR regexp_like(replace(coalesce(${param('$.principal')}, ''), ${OWN_ACCOUNT}, ''), '[0-9]{12}')))
      OR eventname LIKE 'CreateFunctionUrlConfig%'
      OR eventname LIKE 'UpdateFunctionUrlConfig%')`,
  summary: `concat(
    ${ACTOR},
    ${did('exposed function', 'expose function')},
    coalesce(${param('$.functionName')}, '?'),
    CASE WHEN eventname LIKE 'AddPermission%'
      THEN concat(
        ' to principal ',
        coalesce(${param('$.principal')}, '?'),
        ' for ',
        coalesce(${param('$.action')}, '?'))
      ELSE concat(' at a URL with auth type ', coalesce(${param('$.authType')}, '?'))
    END,
    ${FAILURE},
    '.')`,
});
