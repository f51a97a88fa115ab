/**
 * ec2-unusual-instance-launch: RunInstances of GPU, accelerator or very large instance types,
 * or of ten instances or more at once.
 *
 * Verified on invictus 8e865acb-b1e1-41d1-bdf3-47462f79d24c (RunInstances,
 * Client.VcpuLimitExceeded), stratus 1a4debbb-12e9-4bde-b8c7-ea29002bb2a7 (RunInstances,
 * Client.UnauthorizedOperation), invictus 2f4876ba-b0fc-4a24-b406-bef4dcc9656f (RunInstances,
 * Client.VcpuLimitExceeded).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

/** GPU, accelerator, FPGA and large-memory families, bare metal, and sizes of 12xlarge and up. */
const UNUSUAL_TYPE = String.raw`'^(p[0-9]|g[0-9]|inf[0-9]|trn[0-9]|dl[0-9]|f[0-9]|x[0-9]|u-)|\.(metal|(1[2-9]|[2-9][0-9])xlarge)'`;

export const ec2UnusualInstanceLaunch = defineDetection({
  name: 'ec2-unusual-instance-launch',
  title: 'GPU, bare-metal or very large EC2 instances launched (or attempted)',
  severity: 'medium',
  techniques: ['T1496', 'T1578.002'],
  description:
    'RunInstances for GPU/accelerator families (p, g, inf, trn, dl, f), bare metal, or 12xlarge and larger, or ten instances at once. Typical of crypto-mining after a key leak; refusals (Client.UnauthorizedOperation, VcpuLimitExceeded) are kept because attackers often hit quotas first.',
  benignCauses: ['ML training jobs', 'Batch and HPC workloads'],
  references: [
    stratus('aws.execution.ec2-launch-unusual-instances'),
    sigma(
      'aws_lightsail_instance_created_or_started.yml (related, see uncommon-compute-service-provisioned)',
    ),
  ],
  condition: `eventsource = 'ec2.amazonaws.com'
    AND eventname = 'RunInstances'
    AND (regexp_like(coalesce(${param('$.instanceType')}, ''), ${UNUSUAL_TYPE})
      OR regexp_like(coalesce(${param('$.instancesSet.items[0].maxCount')}, '0'), '^([1-9][0-9]+)$'))`,
  summary: `concat(
    ${ACTOR},
    ${did('launched', 'launch')},
    coalesce(${param('$.instancesSet.items[0].maxCount')}, '?'),
    ' x ',
    coalesce(${param('$.instanceType')}, '?'),
    ' instance(s)',
    ${FAILURE},
    '.')`,
});
