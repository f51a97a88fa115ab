/**
 * sagemaker-lifecycle-config-changed: SageMaker notebook lifecycle configurations (scripts run
 * as root on the notebook) created or attached.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000056
 * (UpdateNotebookInstance), written from AWS documentation.
 */
import { defineDetection } from './detection.js';
import { stratus } from './references.js';
import { ACTOR, CALLED, FAILURE, param } from './sqlFragments.js';

export const sagemakerLifecycleConfigChanged = defineDetection({
  name: 'sagemaker-lifecycle-config-changed',
  title: 'SageMaker notebook lifecycle configuration created or attached',
  severity: 'medium',
  techniques: ['T1059.009', 'T1098'],
  description:
    'A lifecycle configuration script runs as root when a notebook instance starts; attaching a malicious one (stop, update, start) executes code with the notebook execution role.',
  benignCauses: ['Data-science platform teams managing notebook bootstrap scripts'],
  references: [stratus('aws.execution.sagemaker-update-lifecycle-config')],
  condition: `eventsource = 'sagemaker.amazonaws.com'
    AND (eventname IN ('CreateNotebookInstanceLifecycleConfig', 'UpdateNotebookInstanceLifecycleConfig')
      OR (eventname = 'UpdateNotebookInstance' AND strpos(lower(requestparameters), 'lifecycleconfigname') > 0))`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    eventname,
    ' for ',
    coalesce(
      ${param('$.notebookInstanceName')},
      ${param('$.notebookInstanceLifecycleConfigName')},
      ${param('$.lifecycleConfigName')},
      '?'),
    ${FAILURE},
    '.')`,
});
