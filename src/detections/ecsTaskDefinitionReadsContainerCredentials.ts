/**
 * ecs-task-definition-reads-container-credentials: an ECS task whose definition reads the task
 * role's credentials from the container credential endpoint.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000058
 * (RegisterTaskDefinition), written from AWS documentation.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const ecsTaskDefinitionReadsContainerCredentials = defineDetection({
  name: 'ecs-task-definition-reads-container-credentials',
  title: 'ECS task definition that queries the container credentials endpoint',
  severity: 'medium',
  techniques: ['T1525', 'T1552.005'],
  description:
    'A task definition or RunTask override whose command reads $AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (169.254.170.2) exfiltrates the task role credentials.',
  benignCauses: ['Containers that legitimately fetch their own credentials with curl'],
  references: [
    sigma(
      'aws_ecs_task_definition_cred_endpoint_query.yml (AWS ECS Task Definition That Queries The Credential Endpoint)',
    ),
  ],
  condition: `eventsource = 'ecs.amazonaws.com'
    AND eventname IN ('RegisterTaskDefinition', 'RunTask')
    AND (strpos(requestparameters, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI') > 0
      OR strpos(requestparameters, '169.254.170.2') > 0)`,
  summary: `concat(
    ${ACTOR},
    ${did('registered a task that reads container credentials:', 'register a task that reads container credentials:')},
    coalesce(${param('$.family')}, ${param('$.taskDefinition')}, '?'),
    ${FAILURE},
    '.')`,
});
