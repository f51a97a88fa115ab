/**
 * Checks evidence as a recipient does: the manifest is what was signed (Ed25519, or ECDSA P-256
 * with SHA-256 as KMS signs), with the public key given, and a CSV, when given, is the one the
 * manifest describes. Says why when it does not hold.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { canonicalJson } from './canonicalJson.js';
import { EvidenceSchema } from './evidenceManifest.js';
import { publicKeySha256 } from './evidenceSigner.js';

export type EvidenceVerdict = { ok: true; summary: string } | { ok: false; reason: string };

export const verifyEvidence = (document: unknown, publicKeyPem: string, csv?: Buffer): EvidenceVerdict => {
  const parsed = EvidenceSchema.safeParse(document);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      ok: false,
      reason: `not trailhound evidence: ${first?.path.join('.') || '(document)'}: ${first?.message}`,
    };
  }
  const { manifest, signature } = parsed.data;
  let key: ReturnType<typeof createPublicKey>;
  try {
    key = createPublicKey(publicKeyPem);
  } catch {
    return { ok: false, reason: 'the public key is not a PEM public key' };
  }
  if (publicKeySha256(key) !== signature.publicKeySha256) {
    return {
      ok: false,
      reason: `signed with another key (SHA-256 ${signature.publicKeySha256}) than the one given (${publicKeySha256(key)})`,
    };
  }
  const text = Buffer.from(canonicalJson(manifest), 'utf8');
  const value = Buffer.from(signature.value, 'base64');
  const holds =
    signature.algorithm === 'Ed25519'
      ? verify(null, text, key, value)
      : verify('sha256', text, { key, dsaEncoding: 'der' }, value);
  if (!holds)
    return { ok: false, reason: 'the signature does not hold: the manifest was changed after it was signed' };
  if (csv) {
    const sha256 = createHash('sha256').update(csv).digest('hex');
    if (sha256 !== manifest.result.csvSha256) {
      return {
        ok: false,
        reason: `the CSV is not the execution's result: its SHA-256 is ${sha256}, the manifest's ${manifest.result.csvSha256}`,
      };
    }
  }
  const integrity = manifest.integrity ? `, logs ${manifest.integrity.verdict}` : ', logs not verified';
  return {
    ok: true,
    summary: `evidence of execution ${manifest.executionId} (${manifest.query}, ${manifest.result.rows} rows${integrity}) signed ${manifest.times.signedAt}${csv ? '; the CSV is its result' : ''}`,
  };
};
