/**
 * bedrock-model-invoked: a Bedrock model invoked (InvokeModel, Converse and their streaming
 * forms).
 *
 * Verified on stratus 51d580ea-04f5-421c-b733-b5e4ec485a6e (InvokeModel).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const bedrockModelInvoked = defineDetection({
  name: 'bedrock-model-invoked',
  title: 'Bedrock model invoked (or probed)',
  severity: 'low',
  techniques: ['T1496'],
  description:
    "InvokeModel/Converse recorded as management events. After a key leak, attackers probe many regions (a ValidationException or AccessDenied answer is the probe) and then run inference at the victim's expense. Tune out known application roles.",
  benignCauses: ['Applications using Bedrock'],
  references: [
    stratus('aws.impact.bedrock-invoke-model'),
    stratus('aws.discovery.bedrock-enumerate-models-multiple-regions'),
    sigma(
      'aws_bedrock_model_invocation_by_unauthorized_identity.yml (AWS Bedrock Foundation Model Invoked by Unauthorized Identity)',
    ),
    sigma('aws_cloudtrail_bedrock_model_recon.yml (AWS Bedrock Model Recon Activity)'),
    sigma(
      'rules-threat-hunting/cloud/aws/cloudtrail/aws_cloudtrail_bedrock_multiple_invokemodel_requests.yml (AWS Bedrock High Volume InvokeModel Requests; its count is an aggregation)',
    ),
  ],
  condition: `eventsource IN ('bedrock.amazonaws.com', 'bedrock-runtime.amazonaws.com')
    AND eventname IN ('InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream')`,
  summary: `concat(
    ${ACTOR},
    ${did('invoked', 'invoke')},
    'model ',
    coalesce(${param('$.modelId')}, '?'),
    ' in ',
    coalesce(awsregion, '?'),
    ${FAILURE},
    '.')`,
});
