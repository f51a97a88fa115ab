/**
 * encryption-keys-destroyed-or-weakened: KMS keys scheduled for deletion or disabled, outside
 * key material or key stores, EBS default encryption off.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000022
 * (ScheduleKeyDeletion), detection-examples de000000-0000-4000-8000-000000000023
 * (DisableEbsEncryptionByDefault), aws-doc-examples f1a2b3c4-0000-4000-8000-000000000011
 * (DisableKey), written from AWS documentation.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { ACTOR, CALLED, FAILURE, param } from './sqlFragments.js';

export const encryptionKeysDestroyedOrWeakened = defineDetection({
  name: 'encryption-keys-destroyed-or-weakened',
  title:
    'KMS key scheduled for deletion, disabled or backed by outside key material; EBS default encryption disabled',
  severity: 'high',
  techniques: ['T1485', 'T1486', 'T1490', 'T1562.001'],
  description:
    'ScheduleKeyDeletion and DisableKey make everything encrypted under the key unreadable (ransom by key destruction); ImportKeyMaterial/DeleteImportedKeyMaterial and custom key stores let someone outside AWS hold the key material; DisableEbsEncryptionByDefault lets new volumes and snapshot copies be created unencrypted, easing their exfiltration. None of these appear in the bundled data sets.',
  benignCauses: [
    'Key rotation projects retiring old keys',
    'BYOK compliance setups',
    'Workloads needing unencrypted AMIs in development accounts',
  ],
  references: [
    sigma('aws_kms_import_key_material.yml (KMS Imported Key Material Usage)'),
    sigma(
      'aws_kms_custom_key_store_connected_or_created.yml (AWS KMS Custom Key Store Connected or Created)',
    ),
    sigma('aws_ec2_disable_encryption.yml (AWS EC2 Disable EBS Encryption)'),
  ],
  condition: `(eventsource = 'kms.amazonaws.com'
      AND eventname IN ('ScheduleKeyDeletion', 'DisableKey', 'ImportKeyMaterial', 'DeleteImportedKeyMaterial',
        'CreateCustomKeyStore', 'ConnectCustomKeyStore', 'UpdateCustomKeyStore'))
    OR (eventsource = 'ec2.amazonaws.com' AND eventname = 'DisableEbsEncryptionByDefault')`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    eventname,
    CASE WHEN eventsource = 'kms.amazonaws.com'
      THEN concat(' on KMS key ', coalesce(
        ${param('$.keyId')},
        ${param('$.customKeyStoreId')},
        ${param('$.customKeyStoreName')},
        '?'))
      ELSE concat(' in ', coalesce(awsregion, '?'))
    END,
    ${FAILURE},
    '.')`,
});
