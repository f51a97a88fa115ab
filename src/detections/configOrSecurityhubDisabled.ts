/**
 * config-or-securityhub-disabled: AWS Config recording stopped, Security Hub disabled, or its
 * findings suppressed or resolved in bulk, Amazon Macie paused or disabled.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000012
 * (StopConfigurationRecorder), detection-examples de000000-0000-4000-8000-000000000013
 * (BatchUpdateFindings) and 115 (UpdateMacieSession, PAUSED), written from AWS documentation.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { ACTOR, CALLED, FAILURE, jsonPair, param } from './sqlFragments.js';

export const configOrSecurityhubDisabled = defineDetection({
  name: 'config-or-securityhub-disabled',
  title: 'AWS Config recording stopped, Security Hub or Macie disabled, or findings suppressed',
  severity: 'high',
  techniques: ['T1562.001'],
  description:
    'StopConfigurationRecorder, DeleteConfigurationRecorder and DeleteDeliveryChannel end the resource-configuration history; disabling Security Hub or its standards, deleting or changing insights, and bulk-updating findings to SUPPRESSED/RESOLVED hide alerts from responders; pausing or disabling Amazon Macie (UpdateMacieSession to PAUSED, DisableMacie) stops sensitive-data discovery before data is taken.',
  benignCauses: [
    'Moving to an organization-level Config setup',
    'Cost reduction in sandbox accounts',
    'Triage workflows that resolve findings',
    'Automation closing remediated findings',
  ],
  references: [
    sigma('aws_config_disable_recording.yml (AWS Config Disabling Channel/Recorder)'),
    sigma('aws_securityhub_finding_evasion.yml (AWS SecurityHub Findings Evasion)'),
  ],
  condition: `(eventsource = 'config.amazonaws.com'
      AND eventname IN ('StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel'))
    OR (eventsource = 'securityhub.amazonaws.com'
      AND (eventname IN ('DisableSecurityHub', 'BatchDisableStandards', 'DeleteInsight', 'UpdateInsight',
          'UpdateFindings', 'DisassociateFromAdministratorAccount', 'DisassociateFromMasterAccount')
        OR (eventname = 'BatchUpdateFindings'
          AND (strpos(requestparameters, 'SUPPRESSED') > 0 OR strpos(requestparameters, 'RESOLVED') > 0))))
    OR (eventsource = 'macie2.amazonaws.com'
      AND (eventname IN ('DisableMacie', 'DisassociateFromAdministratorAccount')
        OR (eventname = 'UpdateMacieSession' AND regexp_like(requestparameters, ${jsonPair('status', '"PAUSED"')}))))`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    eventname,
    ' on ',
    CASE
      WHEN ${param('$.configurationRecorderName')} IS NOT NULL
        THEN concat('AWS Config recorder ', ${param('$.configurationRecorderName')})
      WHEN ${param('$.deliveryChannelName')} IS NOT NULL
        THEN concat('AWS Config delivery channel ', ${param('$.deliveryChannelName')})
      WHEN eventsource = 'config.amazonaws.com' THEN 'AWS Config'
      WHEN eventsource = 'macie2.amazonaws.com' THEN 'Amazon Macie'
      ELSE 'Security Hub'
    END,
    ${FAILURE},
    '.')`,
});
