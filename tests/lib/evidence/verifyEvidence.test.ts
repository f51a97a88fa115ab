/**
 * Evidence signatures: the local Ed25519 key made once with mode 0600, signatures over the
 * manifest's canonical JSON that openssl verifies on its own, and verifyEvidence refusing a
 * changed manifest, another key, and a CSV that is not the result; ECDSA P-256 (as KMS signs) too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/lib/evidence/canonicalJson.js';
import { fileEvidenceSigner, publicKeySha256 } from '../../../src/lib/evidence/evidenceSigner.js';
import { verifyEvidence } from '../../../src/lib/evidence/verifyEvidence.js';
import { EVIDENCE_CSV, EVIDENCE_MANIFEST } from '../../helpers/evidenceFixture.js';

const CSV = EVIDENCE_CSV;
const MANIFEST = EVIDENCE_MANIFEST;
const hasOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

const signed = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-evidence-'));
  const keyFile = path.join(dir, 'keys', 'evidence-key.pem');
  const signer = fileEvidenceSigner(keyFile);
  const signature = await signer.sign(canonicalJson(MANIFEST));
  return {
    dir,
    keyFile,
    signer,
    evidence: { manifest: MANIFEST, signature },
    pem: await signer.publicKeyPem(),
  };
};

describe('evidence signatures', () => {
  it('canonical JSON sorts keys at every depth and drops nothing else', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 'x' }], a: null, e: undefined })).toBe(
      '{"a":null,"b":[{"c":"x","d":1}]}',
    );
  });

  it('makes the key once, owner-only, and signs with it again after a restart', async () => {
    const { keyFile, signer, evidence, pem } = await signed();
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const before = await readFile(keyFile, 'utf8');
    await signer.sign('again');
    expect(await fileEvidenceSigner(keyFile).publicKeyPem()).toBe(pem);
    expect(await readFile(keyFile, 'utf8')).toBe(before);
    expect(verifyEvidence(evidence, pem, CSV)).toEqual({
      ok: true,
      summary: `evidence of execution ${MANIFEST.executionId} (events, 1 rows, logs not verified) signed ${MANIFEST.times.signedAt}; the CSV is its result`,
    });
  });

  it('is an Ed25519 signature openssl verifies over the canonical JSON', async (context) => {
    if (!hasOpenssl) return context.skip('openssl is not installed: skipped');
    const { dir, evidence, pem } = await signed();
    await writeFile(path.join(dir, 'pub.pem'), pem);
    await writeFile(path.join(dir, 'manifest.txt'), canonicalJson(evidence.manifest));
    await writeFile(path.join(dir, 'sig.bin'), Buffer.from(evidence.signature.value, 'base64'));
    const out = execFileSync(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        'pub.pem',
        '-rawin',
        '-in',
        'manifest.txt',
        '-sigfile',
        'sig.bin',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(out).toContain('Signature Verified Successfully');
  });

  it('refuses a changed manifest, another key, a CSV that is not the result, and what is not evidence', async () => {
    const { evidence, pem } = await signed();
    const changed = {
      ...evidence,
      manifest: { ...evidence.manifest, result: { ...evidence.manifest.result, rows: 2 } },
    };
    expect(verifyEvidence(changed, pem)).toEqual({
      ok: false,
      reason: 'the signature does not hold: the manifest was changed after it was signed',
    });
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(verifyEvidence(evidence, other)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^signed with another key/),
    });
    const csv = Buffer.concat([CSV, Buffer.from('"2023-07-10T12:11:00Z","DeleteUser"\n')]);
    expect(verifyEvidence(evidence, pem, csv)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(
        /^the CSV is not the execution's result: its SHA-256 is [0-9a-f]{64}, the manifest's /,
      ),
    });
    expect(verifyEvidence({ manifest: {} }, pem)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^not trailhound evidence/),
    });
    expect(verifyEvidence(evidence, 'not a key')).toEqual({
      ok: false,
      reason: 'the public key is not a PEM public key',
    });
  });

  it('verifies ECDSA P-256 with SHA-256, as an asymmetric KMS key signs', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const value = sign('sha256', Buffer.from(canonicalJson(MANIFEST)), privateKey).toString('base64');
    const evidence = {
      manifest: MANIFEST,
      signature: { algorithm: 'ECDSA_SHA_256' as const, publicKeySha256: publicKeySha256(publicKey), value },
    };
    expect(
      verifyEvidence(evidence, publicKey.export({ format: 'pem', type: 'spki' }).toString()),
    ).toMatchObject({ ok: true });
  });
});
