/**
 * Evidence signed on AWS by an asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY; the template makes
 * it): the private key never leaves KMS. KMS signs the SHA-256 of the manifest's canonical JSON
 * (MessageType DIGEST: a manifest may be longer than the 4,096 bytes KMS signs raw) with
 * ECDSA_SHA_256, a DER-encoded signature, which verifies as ECDSA with SHA-256 over the text
 * itself (verifyEvidence.ts, or openssl). The public key is read once per container (GetPublicKey:
 * DER SubjectPublicKeyInfo).
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { type EvidenceSigner, publicKeySha256 } from './evidenceSigner.js';

export const kmsEvidenceSigner = (kms: KMSClient, keyId: string): EvidenceSigner => {
  let publicKey: Promise<KeyObject> | undefined;
  const key = () => {
    publicKey ??= kms.send(new GetPublicKeyCommand({ KeyId: keyId })).then((answer) => {
      if (!answer.PublicKey) throw new Error(`KMS gave no public key for ${keyId}`);
      return createPublicKey({ key: Buffer.from(answer.PublicKey), format: 'der', type: 'spki' });
    });
    publicKey.catch(() => {
      publicKey = undefined;
    });
    return publicKey;
  };
  return {
    sign: async (text) => {
      const digest = createHash('sha256').update(text, 'utf8').digest();
      const [answer, publicKeyObject] = await Promise.all([
        kms.send(
          new SignCommand({
            KeyId: keyId,
            Message: digest,
            MessageType: 'DIGEST',
            SigningAlgorithm: 'ECDSA_SHA_256',
          }),
        ),
        key(),
      ]);
      if (!answer.Signature) throw new Error(`KMS gave no signature with ${keyId}`);
      return {
        algorithm: 'ECDSA_SHA_256',
        publicKeySha256: publicKeySha256(publicKeyObject),
        value: Buffer.from(answer.Signature).toString('base64'),
      };
    },
    publicKeyPem: async () => (await key()).export({ format: 'pem', type: 'spki' }).toString(),
  };
};
