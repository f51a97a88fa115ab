/**
 * The detection catalog: every detection module, most severe first, then by name. Adding a detection
 * is one module in this folder (defineDetection) and one line here. Loading this module fails if two
 * detections share a name.
 */

import { accountRegionEnabled } from './accountRegionEnabled.js';
import { bedrockLoggingOrGuardrailRemoved } from './bedrockLoggingOrGuardrailRemoved.js';
import { bedrockModelAccessEnabled } from './bedrockModelAccessEnabled.js';
import { bedrockModelInvoked } from './bedrockModelInvoked.js';
import { bulkDataExportStarted } from './bulkDataExportStarted.js';
import { cloudtrailConfigurationChanged } from './cloudtrailConfigurationChanged.js';
import { cloudtrailEventSelectorsWeakened } from './cloudtrailEventSelectorsWeakened.js';
import { cloudtrailTrailStoppedOrDeleted } from './cloudtrailTrailStoppedOrDeleted.js';
import { cloudwatchLogsDeletedOrShortened } from './cloudwatchLogsDeletedOrShortened.js';
import { configOrSecurityhubDisabled } from './configOrSecurityhubDisabled.js';
import { consoleLoginFailed } from './consoleLoginFailed.js';
import { consoleLoginWithoutMfa } from './consoleLoginWithoutMfa.js';
import { dataStoreOrBackupDestroyed } from './dataStoreOrBackupDestroyed.js';
import type { Detection } from './detection.js';
import { discoveryBurst } from './discoveryBurst.js';
import { ec2InstanceSecretsRead } from './ec2InstanceSecretsRead.js';
import { ec2SshAccessAdded } from './ec2SshAccessAdded.js';
import { ec2UnusualInstanceLaunch } from './ec2UnusualInstanceLaunch.js';
import { ec2UserDataModified } from './ec2UserDataModified.js';
import { ecsTaskDefinitionReadsContainerCredentials } from './ecsTaskDefinitionReadsContainerCredentials.js';
import { encryptionKeysDestroyedOrWeakened } from './encryptionKeysDestroyedOrWeakened.js';
import { exposedCredentialsQuarantined } from './exposedCredentialsQuarantined.js';
import { guarddutyDisabledOrSuppressed } from './guarddutyDisabledOrSuppressed.js';
import { iamAccessKeyCreatedForOtherUser } from './iamAccessKeyCreatedForOtherUser.js';
import { iamAuthorizationDetailsDumped } from './iamAuthorizationDetailsDumped.js';
import { iamLoginProfileChangedForOtherUser } from './iamLoginProfileChangedForOtherUser.js';
import { iamLoginProfileCreated } from './iamLoginProfileCreated.js';
import { iamMfaDeviceRemoved } from './iamMfaDeviceRemoved.js';
import { iamPolicyDocumentEscalation } from './iamPolicyDocumentEscalation.js';
import { iamPrivilegedManagedPolicyAttached } from './iamPrivilegedManagedPolicyAttached.js';
import { iamRoleTrustGrantsExternalOrPublic } from './iamRoleTrustGrantsExternalOrPublic.js';
import { iamRoleTrustPolicyModified } from './iamRoleTrustPolicyModified.js';
import { iamUserCreated } from './iamUserCreated.js';
import { identityProviderOrSsoChanged } from './identityProviderOrSsoChanged.js';
import { imageOrSnapshotShared } from './imageOrSnapshotShared.js';
import { instanceCredentialsUsedForRecon } from './instanceCredentialsUsedForRecon.js';
import { lambdaExposedToOutsiders } from './lambdaExposedToOutsiders.js';
import { lambdaFunctionCodeUpdated } from './lambdaFunctionCodeUpdated.js';
import { lambdaLayerAttached } from './lambdaLayerAttached.js';
import { longTermCredentialsConverted } from './longTermCredentialsConverted.js';
import { managedServiceSecurityGroupChanged } from './managedServiceSecurityGroupChanged.js';
import { networkLogsDeleted } from './networkLogsDeleted.js';
import { networkPerimeterOpened } from './networkPerimeterOpened.js';
import { offensiveToolUserAgent } from './offensiveToolUserAgent.js';
import { organizationsLeaveAttempt } from './organizationsLeaveAttempt.js';
import { passwordDataReadInBulk } from './passwordDataReadInBulk.js';
import { permissionProbing } from './permissionProbing.js';
import { rdsAuditLoggingStopped } from './rdsAuditLoggingStopped.js';
import { rdsDatabaseRebootedOrFailedOver } from './rdsDatabaseRebootedOrFailedOver.js';
import { rdsIamRoleAdded } from './rdsIamRoleAdded.js';
import { rdsInstanceExposedOrPasswordReset } from './rdsInstanceExposedOrPasswordReset.js';
import { rdsLogFilesDownloaded } from './rdsLogFilesDownloaded.js';
import { rdsSnapshotCreatedOrCopied } from './rdsSnapshotCreatedOrCopied.js';
import { resourcePolicyPublicOrCrossAccount } from './resourcePolicyPublicOrCrossAccount.js';
import { rolesanywhereTrustAnchorCreated } from './rolesanywhereTrustAnchorCreated.js';
import { rootAccountUsed } from './rootAccountUsed.js';
import { route53DomainTransfer } from './route53DomainTransfer.js';
import { s3BucketDeletedOrReconfigured } from './s3BucketDeletedOrReconfigured.js';
import { s3BucketOpenedToOutsiders } from './s3BucketOpenedToOutsiders.js';
import { s3LifecycleExpirationSet } from './s3LifecycleExpirationSet.js';
import { s3ObjectsEncryptedWithOutsideKey } from './s3ObjectsEncryptedWithOutsideKey.js';
import { s3PublicAccessBlockWeakened } from './s3PublicAccessBlockWeakened.js';
import { s3VersioningSuspended } from './s3VersioningSuspended.js';
import { sagemakerLifecycleConfigChanged } from './sagemakerLifecycleConfigChanged.js';
import { secretsmanagerBatchSecretRetrieval } from './secretsmanagerBatchSecretRetrieval.js';
import { secretsReadInBulk } from './secretsReadInBulk.js';
import { secretsReadWithLongTermCredentials } from './secretsReadWithLongTermCredentials.js';
import { securityGroupIngressOpenToWorld } from './securityGroupIngressOpenToWorld.js';
import { sensitiveCallDenied } from './sensitiveCallDenied.js';
import { sesAbuseSignals } from './sesAbuseSignals.js';
import { ssmParametersReadInBulk } from './ssmParametersReadInBulk.js';
import { ssmRemoteExecution } from './ssmRemoteExecution.js';
import { trafficMirroringCreated } from './trafficMirroringCreated.js';
import { uncommonComputeServiceProvisioned } from './uncommonComputeServiceProvisioned.js';
import { webFirewallRemoved } from './webFirewallRemoved.js';

export const DETECTIONS: readonly Detection[] = [
  // critical
  cloudtrailTrailStoppedOrDeleted,
  exposedCredentialsQuarantined,
  iamPrivilegedManagedPolicyAttached,
  // high
  bedrockLoggingOrGuardrailRemoved,
  cloudtrailEventSelectorsWeakened,
  configOrSecurityhubDisabled,
  ec2UserDataModified,
  encryptionKeysDestroyedOrWeakened,
  guarddutyDisabledOrSuppressed,
  iamAccessKeyCreatedForOtherUser,
  iamLoginProfileChangedForOtherUser,
  iamPolicyDocumentEscalation,
  iamRoleTrustGrantsExternalOrPublic,
  identityProviderOrSsoChanged,
  imageOrSnapshotShared,
  lambdaExposedToOutsiders,
  networkLogsDeleted,
  organizationsLeaveAttempt,
  passwordDataReadInBulk,
  rdsAuditLoggingStopped,
  resourcePolicyPublicOrCrossAccount,
  rolesanywhereTrustAnchorCreated,
  rootAccountUsed,
  s3BucketOpenedToOutsiders,
  s3ObjectsEncryptedWithOutsideKey,
  s3PublicAccessBlockWeakened,
  secretsReadInBulk,
  securityGroupIngressOpenToWorld,
  ssmParametersReadInBulk,
  webFirewallRemoved,
  // medium
  bedrockModelAccessEnabled,
  bulkDataExportStarted,
  cloudtrailConfigurationChanged,
  cloudwatchLogsDeletedOrShortened,
  consoleLoginWithoutMfa,
  dataStoreOrBackupDestroyed,
  discoveryBurst,
  ec2InstanceSecretsRead,
  ec2SshAccessAdded,
  ec2UnusualInstanceLaunch,
  ecsTaskDefinitionReadsContainerCredentials,
  iamLoginProfileCreated,
  iamMfaDeviceRemoved,
  iamRoleTrustPolicyModified,
  iamUserCreated,
  instanceCredentialsUsedForRecon,
  lambdaLayerAttached,
  longTermCredentialsConverted,
  networkPerimeterOpened,
  offensiveToolUserAgent,
  permissionProbing,
  rdsIamRoleAdded,
  rdsInstanceExposedOrPasswordReset,
  route53DomainTransfer,
  s3LifecycleExpirationSet,
  s3VersioningSuspended,
  sagemakerLifecycleConfigChanged,
  secretsmanagerBatchSecretRetrieval,
  sensitiveCallDenied,
  ssmRemoteExecution,
  trafficMirroringCreated,
  // low
  accountRegionEnabled,
  bedrockModelInvoked,
  consoleLoginFailed,
  iamAuthorizationDetailsDumped,
  lambdaFunctionCodeUpdated,
  managedServiceSecurityGroupChanged,
  rdsDatabaseRebootedOrFailedOver,
  rdsLogFilesDownloaded,
  rdsSnapshotCreatedOrCopied,
  s3BucketDeletedOrReconfigured,
  secretsReadWithLongTermCredentials,
  sesAbuseSignals,
  uncommonComputeServiceProvisioned,
];

const BY_NAME = new Map<string, Detection>();
for (const detection of DETECTIONS) {
  if (BY_NAME.has(detection.name)) throw new Error(`two detections are named ${detection.name}`);
  BY_NAME.set(detection.name, detection);
}

/** The detection of that name, or undefined. */
export const findDetection = (name: string): Detection | undefined => BY_NAME.get(name);
