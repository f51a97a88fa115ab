/**
 * bedrock-model-access-enabled: Bedrock model access requested or enabled, and model
 * availability checked with a long-term (AKIA) key.
 *
 * Verified on stratus 8452e2fb-1252-460b-8f58-d3f5333c2630 (PutUseCaseForModelAccess), stratus
 * db9c43df-ae6f-4db3-8298-f5f779f74f4d (CreateFoundationModelAgreement), stratus
 * 4031b2d2-5e47-4d71-9eda-4f22702c45f3 (PutFoundationModelEntitlement).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, CALLED, FAILURE, param } from './sqlFragments.js';

export const bedrockModelAccessEnabled = defineDetection({
  name: 'bedrock-model-access-enabled',
  title: 'Bedrock model access enabled or provisioned',
  severity: 'medium',
  techniques: ['T1496', 'T1578.005'],
  description:
    'CreateFoundationModelAgreement, PutFoundationModelEntitlement and PutUseCaseForModelAccess are the console-only steps to enable a model; from API credentials they mark LLM-jacking. Model customization jobs and provisioned throughput are included, and the console-only lookups (GetFoundationModelAvailability, GetUseCaseForModelAccess, ListFoundationModelAgreementOffers) when made with a long-term access key (key id prefix AKIA, which by AWS convention marks an IAM user key, as opposed to ASIA for temporary credentials).',
  benignCauses: ['An ML team enabling a model for the first time'],
  references: [
    stratus('aws.impact.bedrock-invoke-model'),
    sigma(
      'aws_cloudtrail_bedrock_uncommon_api_calls_from_lla.yml (Uncommon AWS Bedrock API Calls From Long Lived Access Keys)',
    ),
    sigma('aws_cloudtrail_bedrock_create_foundation_model_agreement.yml'),
    sigma('aws_cloudtrail_bedrock_put_foundation_model_entitlement.yml'),
    sigma('aws_cloudtrail_bedrock_put_use_case_for_model_access.yml'),
    sigma('aws_cloudtrail_bedrock_get_foundation_model_availability.yml'),
    sigma('aws_cloudtrail_bedrock_get_use_case_for_model_access.yml'),
    sigma(
      'aws_bedrock_model_customization_or_entitlement_change.yml (AWS Bedrock Model Customization Job or Entitlement Change)',
    ),
  ],
  condition: `eventsource = 'bedrock.amazonaws.com'
    AND (eventname IN ('CreateFoundationModelAgreement', 'PutFoundationModelEntitlement', 'PutUseCaseForModelAccess',
        'CreateModelCustomizationJob', 'CreateProvisionedModelThroughput', 'UpdateProvisionedModelThroughput',
        'CreateInferenceProfile')
      OR (eventname IN ('GetFoundationModelAvailability', 'GetUseCaseForModelAccess', 'ListFoundationModelAgreementOffers')
        AND starts_with(coalesce(useridentity.accesskeyid, ''), 'AKIA')))`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    eventname,
    CASE WHEN ${param('$.modelId')} IS NULL THEN '' ELSE concat(' for model ', ${param('$.modelId')}) END,
    ${FAILURE},
    '.')`,
});
