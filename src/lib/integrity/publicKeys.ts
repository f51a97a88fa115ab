/**
 * CloudTrail's public keys, as `aws cloudtrail list-public-keys` prints them (and ListPublicKeys
 * returns them): each a DER PKCS#1 RSA public key, base64 in JSON, named by the fingerprint that
 * digests carry as `digestPublicKeyFingerprint`. A digest's signature is SHA256withRSA (RSA PKCS#1
 * v1.5 over SHA-256), hex in S3 metadata.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigurationError } from '../errors.js';

export const PublicKeyListSchema = z.object({
  PublicKeyList: z.array(
    z.object({
      Value: z.string().min(1),
      Fingerprint: z.string().min(1),
      ValidityStartTime: z.unknown().optional(),
      ValidityEndTime: z.unknown().optional(),
    }),
  ),
});

/** Public keys by fingerprint. */
export type PublicKeyring = ReadonlyMap<string, KeyObject>;

/** @throws Error naming the key that is not a DER PKCS#1 RSA public key. */
export const publicKeyring = (list: z.infer<typeof PublicKeyListSchema>): PublicKeyring =>
  new Map(
    list.PublicKeyList.map((entry) => {
      try {
        const der = Buffer.from(entry.Value, 'base64');
        return [entry.Fingerprint, createPublicKey({ key: der, format: 'der', type: 'pkcs1' })] as const;
      } catch (cause) {
        throw new Error(`public key ${entry.Fingerprint} is not a DER PKCS#1 RSA public key (base64)`, {
          cause,
        });
      }
    }),
  );

/** Whether `signatureHex` is `key`'s SHA256withRSA signature of `text`. */
export const verifiesDigest = (key: KeyObject, text: string, signatureHex: string): boolean => {
  if (!/^(?:[0-9a-f]{2})+$/i.test(signatureHex)) return false;
  try {
    return verify('sha256', Buffer.from(text, 'utf8'), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
};

/** The keys in `file` (the JSON of `aws cloudtrail list-public-keys`). @throws ConfigurationError. */
export const readPublicKeyring = async (file: string): Promise<PublicKeyring> => {
  try {
    return publicKeyring(PublicKeyListSchema.parse(JSON.parse(await readFile(file, 'utf8'))));
  } catch (error) {
    const reason =
      error instanceof z.ZodError
        ? 'not the JSON of `aws cloudtrail list-public-keys`'
        : (error as Error).message;
    throw new ConfigurationError(
      `Invalid configuration:\n  TRAILHOUND_CLOUDTRAIL_PUBLIC_KEYS: ${file}: ${reason}`,
    );
  }
};
