/**
 * The key that signs callbacks: TRAILHOUND_NOTIFY_SECRET where it is given (the local server), or
 * read once per container from the Secrets Manager secret the template creates
 * (TRAILHOUND_NOTIFY_SECRET_ARN), so that it is in no template, environment or log.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export const notifySecret = async (
  config: {
    TRAILHOUND_NOTIFY_SECRET?: string | undefined;
    TRAILHOUND_NOTIFY_SECRET_ARN?: string | undefined;
  },
  client: () => SecretsManagerClient,
): Promise<string | undefined> => {
  if (config.TRAILHOUND_NOTIFY_SECRET) return config.TRAILHOUND_NOTIFY_SECRET;
  if (!config.TRAILHOUND_NOTIFY_SECRET_ARN) return undefined;
  const output = await client().send(
    new GetSecretValueCommand({ SecretId: config.TRAILHOUND_NOTIFY_SECRET_ARN }),
  );
  return output.SecretString;
};
