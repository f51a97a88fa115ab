/**
 * lambda-layer-attached: a layer (possibly a malicious extension) attached to an existing
 * Lambda function.
 *
 * Verified on stratus da929d96-8e20-475c-a810-973addd64769
 * (UpdateFunctionConfiguration20150331v2).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, jsonPair, param, STRING_LIST } from './sqlFragments.js';

export const lambdaLayerAttached = defineDetection({
  name: 'lambda-layer-attached',
  title: 'Lambda layer attached to a function',
  severity: 'medium',
  techniques: ['T1546', 'T1648'],
  description:
    'UpdateFunctionConfiguration that sets layers. A malicious layer or extension runs inside every invocation with the function role and can read its events and credentials.',
  benignCauses: ['Deployments that add monitoring or dependency layers'],
  references: [
    stratus('aws.persistence.lambda-layer-extension'),
    sigma(
      'aws_new_lambda_layer_attached.yml (AWS New Lambda Layer Attached; older file aws_attached_malicious_lambda_layer.yml)',
    ),
  ],
  condition: `eventsource = 'lambda.amazonaws.com'
    AND eventname LIKE 'UpdateFunctionConfiguration%'
    AND regexp_like(requestparameters, ${jsonPair('layers', STRING_LIST)})`,
  summary: `concat(
    ${ACTOR},
    ${did('attached layer', 'attach layer')},
    coalesce(${param('$.layers[0]')}, '?'),
    ' to function ',
    coalesce(${param('$.functionName')}, '?'),
    ${FAILURE},
    '.')`,
});
