/**
 * Evidence signed by a KMS key, as on AWS: the SHA-256 of the manifest's canonical JSON signed
 * with MessageType DIGEST (a manifest may exceed the 4,096 bytes KMS signs raw), by the KMS double
 * (tests/helpers/kmsDouble.ts, KMS's documented Sign); the signature then holds for
 * verifyEvidence, for Node's ECDSA over the text itself, and for openssl, with the public key
 * GetPublicKey gives, read once.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, verify } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetPublicKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/lib/evidence/canonicalJson.js';
import type { EvidenceManifest } from '../../../src/lib/evidence/evidenceManifest.js';
import { publicKeySha256 } from '../../../src/lib/evidence/evidenceSigner.js';
import { kmsEvidenceSigner } from '../../../src/lib/evidence/kmsEvidenceSigner.js';
import { verifyEvidence } from '../../../src/lib/evidence/verifyEvidence.js';
import { EVIDENCE_CSV, EVIDENCE_MANIFEST } from '../../helpers/evidenceFixture.js';
import { kmsDouble } from '../../helpers/kmsDouble.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-1111-4222-8333-444455556666';
const CSV = EVIDENCE_CSV;
// Many sources, as on AWS: a canonical manifest over KMS's 4,096 bytes of a raw message.
const MANIFEST: EvidenceManifest = {
  ...EVIDENCE_MANIFEST,
  engine: 'athena',
  caller: 'arn:aws:sts::111122223333:assumed-role/incident-responder/responder',
  sources: Array.from({ length: 60 }, (_, i) => ({
    key: `AWSLogs/111122223333/CloudTrail/us-east-1/2023/07/10/111122223333_CloudTrail_us-east-1_20230710T${String(i).padStart(4, '0')}Z_abc.json.gz`,
    bytes: 1000 + i,
    readFrom: 'raw' as const,
  })),
};
const hasOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

describe('evidence signed with a KMS key', () => {
  it('signs the digest of a manifest longer than KMS signs raw, and the signature holds over the text', async () => {
    const kms = kmsDouble(KEY);
    const signer = kmsEvidenceSigner(kms.client, KEY);
    const text = canonicalJson(MANIFEST);
    expect(Buffer.byteLength(text)).toBeGreaterThan(4096);
    const signature = await signer.sign(text);
    expect(signature.algorithm).toBe('ECDSA_SHA_256');
    expect(signature.publicKeySha256).toBe(publicKeySha256(kms.publicKey));
    const value = Buffer.from(signature.value, 'base64');
    expect(verify('sha256', Buffer.from(text), { key: kms.publicKey, dsaEncoding: 'der' }, value)).toBe(true);
    const pem = await signer.publicKeyPem();
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(verifyEvidence({ manifest: MANIFEST, signature }, pem, CSV)).toMatchObject({ ok: true });
    // A changed manifest does not hold.
    const changed = { ...MANIFEST, result: { ...MANIFEST.result, rows: 2 } };
    expect(verifyEvidence({ manifest: changed, signature }, pem)).toMatchObject({ ok: false });
  });

  it('asks KMS for the public key once, and only the digest to sign', async () => {
    const kms = kmsDouble(KEY);
    const sent: { name: string; input: Record<string, unknown> }[] = [];
    const send = kms.client.send.bind(kms.client);
    kms.client.send = ((command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ name: command.constructor.name, input: command.input });
      return send(command as never);
    }) as typeof kms.client.send;
    const signer = kmsEvidenceSigner(kms.client, KEY);
    const text = canonicalJson(MANIFEST);
    await signer.sign(text);
    await signer.sign(text);
    await signer.publicKeyPem();
    expect(sent.filter((c) => c.name === GetPublicKeyCommand.name)).toHaveLength(1);
    const signs = sent.filter((c) => c.name === SignCommand.name).map((c) => c.input);
    expect(signs).toHaveLength(2);
    expect(signs[0]).toMatchObject({ KeyId: KEY, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' });
    expect(Buffer.from(signs[0]?.Message as Uint8Array).toString('hex')).toBe(
      createHash('sha256').update(text).digest('hex'),
    );
  });

  it('makes a signature openssl verifies on its own', async (context) => {
    if (!hasOpenssl) return context.skip('openssl is not installed: skipped');
    const kms = kmsDouble(KEY);
    const signer = kmsEvidenceSigner(kms.client, KEY);
    const text = canonicalJson(MANIFEST);
    const signature = await signer.sign(text);
    const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-kms-'));
    await writeFile(path.join(dir, 'manifest.json'), text);
    await writeFile(path.join(dir, 'signature.der'), Buffer.from(signature.value, 'base64'));
    await writeFile(path.join(dir, 'key.pem'), await signer.publicKeyPem());
    const out = execFileSync(
      'openssl',
      ['dgst', '-sha256', '-verify', 'key.pem', '-signature', 'signature.der', 'manifest.json'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('Verified OK');
  });

  it("fails with KMS's error for a key it does not have, signing nothing", async () => {
    const kms = kmsDouble(KEY);
    const signer = kmsEvidenceSigner(kms.client, `${KEY.slice(0, -1)}7`);
    await expect(signer.sign('{}')).rejects.toThrow(/does not exist/);
  });
});
