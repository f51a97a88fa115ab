/**
 * CloudTrail's public keys from the service itself (ListPublicKeys, every page), for checks on
 * AWS: the same keyring the local server reads from the JSON that `aws cloudtrail
 * list-public-keys` prints. The SDK hands each key's DER as bytes where the CLI prints base64.
 */
import { type CloudTrailClient, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import { type PublicKeyring, publicKeyring } from './publicKeys.js';

export const cloudTrailKeyring = async (
  client: CloudTrailClient,
  span: { readonly from: Date; readonly to: Date },
): Promise<PublicKeyring> => {
  const list: { Value: string; Fingerprint: string }[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListPublicKeysCommand({
        StartTime: span.from,
        EndTime: span.to,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    for (const key of page.PublicKeyList ?? []) {
      if (key.Value && key.Fingerprint) {
        list.push({ Value: Buffer.from(key.Value).toString('base64'), Fingerprint: key.Fingerprint });
      }
    }
    token = page.NextToken;
  } while (token);
  return publicKeyring({ PublicKeyList: list });
};
