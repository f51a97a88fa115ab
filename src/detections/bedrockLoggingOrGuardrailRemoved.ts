/**
 * bedrock-logging-or-guardrail-removed: Bedrock model invocation logging deleted or changed,
 * and guardrails deleted or changed.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000015
 * (DeleteModelInvocationLoggingConfiguration), detection-examples
 * de000000-0000-4000-8000-000000000016 (DeleteGuardrail), written from AWS documentation.
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, CALLED, FAILURE } from './sqlFragments.js';

export const bedrockLoggingOrGuardrailRemoved = defineDetection({
  name: 'bedrock-logging-or-guardrail-removed',
  title: 'Bedrock invocation logging or guardrail deleted or changed',
  severity: 'high',
  techniques: ['T1562.008', 'T1562.001'],
  description:
    'DeleteModelInvocationLoggingConfiguration removes the record of prompts and completions; DeleteGuardrail/UpdateGuardrail weaken the content controls on model use. Both precede LLM-jacking and misuse of models.',
  benignCauses: ['Moving invocation logs to a new bucket or log group', 'Guardrail iteration by an ML team'],
  references: [
    stratus('aws.defense-evasion.bedrock-model-invocation-logging-delete'),
    stratus('aws.defense-evasion.bedrock-guardrail-delete'),
    sigma(
      'aws_bedrock_logging_config_deleted.yml (AWS Bedrock Model Invocation Logging Configuration Deleted)',
    ),
    sigma(
      'aws_bedrock_model_invocation_logging_disabled.yml (AWS Bedrock Model Invocation Logging Disabled or Modified)',
    ),
    sigma('aws_cloudtrail_bedrock_guardrail_deleted.yml (AWS Bedrock Guardrail Deleted)'),
    sigma('aws_cloudtrail_bedrock_guardrail_updated.yml (AWS Bedrock Guardrail Updated)'),
  ],
  condition: `eventsource = 'bedrock.amazonaws.com'
    AND eventname IN ('DeleteModelInvocationLoggingConfiguration', 'PutModelInvocationLoggingConfiguration',
      'DeleteGuardrail', 'UpdateGuardrail', 'DeleteEnforcedGuardrailConfiguration', 'PutEnforcedGuardrailConfiguration')`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    eventname,
    ' in ',
    coalesce(awsregion, '?'),
    ${FAILURE},
    '.')`,
});
