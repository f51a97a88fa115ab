/** Parameter schemas several queries share, so that one name accepts the same values everywhere. */
import { z } from 'zod';

/** An IAM user name, or the session name of an assumed role (up to 128 characters). */
export const UserNameSchema = z
  .string()
  .regex(/^[\w+=,.@-]{1,128}$/, 'an IAM user name: letters, digits and +=,.@_-');

export const AccessKeyIdSchema = z
  .string()
  .regex(/^(AKIA|ASIA)[A-Z0-9]{12,124}$/, 'an access key id such as AKIA... or ASIA...');

/** Who, as the events and activity-timeline queries take it: see PRINCIPAL_MATCHES. */
export const PrincipalRefSchema = z
  .string()
  .regex(/^[\w+=,.@:/-]{1,512}$/, 'an IAM user name, or an identity or role ARN')
  .describe('IAM user name, identity ARN, or role ARN (all its sessions)');

/** A sourceIPAddress as CloudTrail writes it: an address, or the AWS service that made the call. */
export const SourceAddressSchema = z
  .string()
  .regex(/^[0-9a-fA-F.:]{2,39}$|^[a-z0-9.-]{1,128}\.amazonaws\.com$/, 'an IP address or an AWS service name');
