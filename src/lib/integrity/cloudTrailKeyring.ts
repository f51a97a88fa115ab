/**
 * CloudTrail's public keys from the service itself (ListPublicKeys, every page), for checks on
 * AWS: the same keyring the local server reads from the JSON that `aws cloudtrail
 * list-public-keys` prints. CloudTrail signs each region's digests with that region's keys, and
 * ListPublicKeys answers with the keys of the region it is called in (the API reference), so a
 * check over several regions asks each of them. The SDK hands each key's DER as bytes where the
 * CLI prints base64.
 */
import { type CloudTrailClient, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import { mapLimited } from '../mapLimited.js';
import { type PublicKeyring, publicKeyring } from './publicKeys.js';

/** Regions asked at once. */
const PARALLEL_REGIONS = 8;

const regionKeys = async (client: CloudTrailClient, span: { readonly from: Date; readonly to: Date }) => {
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
  return list;
};

/** The keys of every region in `regions`, each asked through `clientOf(region)`. */
export const cloudTrailKeyring = async (
  clientOf: (region: string) => CloudTrailClient,
  regions: readonly string[],
  span: { readonly from: Date; readonly to: Date },
): Promise<PublicKeyring> => {
  const lists = await mapLimited([...new Set(regions)], PARALLEL_REGIONS, (region) =>
    regionKeys(clientOf(region), span),
  );
  return publicKeyring({ PublicKeyList: lists.flat() });
};
