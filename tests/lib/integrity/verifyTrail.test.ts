/**
 * The integrity check on a trail whose digests the generator wrote, intact and tampered one way at
 * a time: each problem kind is found where it was planted, and where the independent check
 * (verify_digests.py, from the AWS CLI's validate-logs) can see the same thing, it agrees.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createSigner, publicKeysJson } from '../../../scripts/digests/writeDigests.js';
import type { IntegrityProblem } from '../../../src/lib/integrity/integrityReport.js';
import { LocalTrailObjects } from '../../../src/lib/integrity/localTrailObjects.js';
import { localTrailVerifier } from '../../../src/lib/integrity/localTrailVerifier.js';
import { publicKeyring, readPublicKeyring } from '../../../src/lib/integrity/publicKeys.js';
import { resolveWindow, type TimeWindow } from '../../../src/lib/sql/timeWindow.js';
import {
  type DigestedTrail,
  digestedTrail,
  hasIndependentVerifier,
  NO_VERIFIER,
  verifyIndependently,
} from '../../helpers/trailDigests.js';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/aws-doc-examples');
const DAY5 = 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05';
const LOG1 = `${DAY5}/111122223333_CloudTrail_us-east-1_20240305T0930Z_docexamples0001.json.gz`;
const LOG2 = `${DAY5}/111122223333_CloudTrail_us-east-1_20240305T1015Z_docexamples0002.json.gz`;
const LOG3 = `${DAY5}/111122223333_CloudTrail_us-east-1_20240305T1110Z_docexamples0003.json.gz`;
const independent = hasIndependentVerifier();

const windowOf = (from: string, to: string): TimeWindow => {
  const resolved = resolveWindow({ from, to }, 366);
  if ('problem' in resolved) throw new Error(resolved.problem.detail);
  return resolved.window;
};
const WINDOW = windowOf('2024-03-05T00:00:00Z', '2024-03-07T00:00:00Z');

const check = async (trail: DigestedTrail, options: { keysFile?: string; bucket?: string } = {}) => {
  const progress: { done: number; total: number }[] = [];
  const verify = localTrailVerifier({
    logsDir: trail.logsDir,
    keyring: await readPublicKeyring(options.keysFile ?? trail.keysFile),
    bucket: options.bucket,
  });
  const found = await (await verify(WINDOW)).run((p) => progress.push(p));
  return { ...found, progress };
};

const file = (trail: DigestedTrail, key: string) => path.join(trail.logsDir, ...key.split('/'));
const kinds = (problems: readonly IntegrityProblem[]) => problems.map((p) => `${p.kind} ${p.path}`);
const digestListing = (trail: DigestedTrail, log: string) => {
  const digest = trail.digests.find((d) => d.logKeys.includes(log));
  if (!digest) throw new Error(`no digest lists ${log}`);
  return digest;
};
const newest = (trail: DigestedTrail) => trail.digests.at(-1) as DigestedTrail['digests'][number];
/** A log file with one record changed, gzipped again: what an intruder covering tracks writes. */
const altered = async (trail: DigestedTrail, key: string): Promise<Buffer> => {
  const json = JSON.parse(gunzipSync(await readFile(file(trail, key))).toString('utf8'));
  json.Records[0].sourceIPAddress = '203.0.113.99';
  return Buffer.from(JSON.stringify(json));
};

describe('verifyTrail on generated digests', () => {
  it('finds an untouched trail intact, every digest and log file valid, and so does the independent check', async (context) => {
    const trail = await digestedTrail(FIXTURE);
    const found = await check(trail);
    expect(found.problems).toEqual([]);
    expect(found.verdict).toBe('intact');
    expect(found.summary).toEqual({
      digestFiles: { valid: trail.digests.length, invalid: 0, missing: 0, unsigned: 0 },
      logFiles: { valid: 4, invalid: 0, missing: 0, undigested: 0 },
      gaps: 0,
    });
    expect(found.progress.at(-1)).toEqual({
      done: trail.digests.length + 4,
      total: trail.digests.length + 4,
    });
    expect(found.logs.get(LOG1)?.sha256).toMatch(/^[0-9a-f]{64}$/);
    if (!independent) return context.skip(NO_VERIFIER);
    const other = verifyIndependently(trail.logsDir, trail.keysFile, 'test-trail-bucket');
    expect(Object.values(other.digests)).toEqual(trail.digests.map(() => 'valid'));
    expect(other.logs).toEqual(Object.fromEntries([...found.logs.keys()].sort().map((k) => [k, 'valid'])));
  });

  it('log-modified: a log file changed after delivery', async (context) => {
    const trail = await digestedTrail(FIXTURE);
    await writeFile(file(trail, LOG2), gzipSync(await altered(trail, LOG2)));
    const found = await check(trail);
    expect(kinds(found.problems)).toEqual([`log-modified ${LOG2}`]);
    expect(found.verdict).toBe('tampered');
    expect(found.summary.logFiles).toEqual({ valid: 3, invalid: 1, missing: 0, undigested: 0 });
    if (!independent) return context.skip(NO_VERIFIER);
    expect(verifyIndependently(trail.logsDir, trail.keysFile).logs[LOG2]).toBe('modified');
  });

  it('log-missing: a log file a digest lists is gone', async (context) => {
    const trail = await digestedTrail(FIXTURE);
    await rm(file(trail, LOG3));
    const found = await check(trail);
    expect(kinds(found.problems)).toEqual([`log-missing ${LOG3}`]);
    expect(found.verdict).toBe('tampered');
    if (!independent) return context.skip(NO_VERIFIER);
    expect(verifyIndependently(trail.logsDir, trail.keysFile).logs[LOG3]).toBe('missing');
  });

  it('log-undigested: a log file planted in an hour the digests cover', async (context) => {
    const trail = await digestedTrail(FIXTURE);
    const planted = `${DAY5}/111122223333_CloudTrail_us-east-1_20240305T1020Z_planted000001.json.gz`;
    await writeFile(file(trail, planted), await readFile(file(trail, LOG1)));
    const found = await check(trail);
    expect(kinds(found.problems)).toEqual([`log-undigested ${planted}`]);
    expect(found.verdict).toBe('tampered');
    if (!independent) return context.skip(NO_VERIFIER);
    // No digest lists it: the independent check, which follows the digests, never meets it.
    expect(verifyIndependently(trail.logsDir, trail.keysFile).logs[planted]).toBeUndefined();
  });

  it('digest-invalid-signature: a digest rewritten to match a changed log file', async (context) => {
    const trail = await digestedTrail(FIXTURE);
    const changed = await altered(trail, LOG2);
    await writeFile(file(trail, LOG2), gzipSync(changed));
    const digest = digestListing(trail, LOG2);
    const content = JSON.parse(gunzipSync(await readFile(digest.file)).toString('utf8'));
    const { createHash } = await import('node:crypto');
    content.logFiles[0].hashValue = createHash('sha256').update(changed).digest('hex');
    await writeFile(digest.file, gzipSync(JSON.stringify(content)));
    const found = await check(trail);
    expect(kinds(found.problems)).toEqual([`digest-invalid-signature ${digest.key}`]);
    expect(found.verdict).toBe('tampered');
    expect(found.summary.digestFiles.invalid).toBe(1);
    if (!independent) return context.skip(NO_VERIFIER);
    expect(verifyIndependently(trail.logsDir, trail.keysFile).digests[digest.key]).toBe('invalid-signature');
  });

  it('digest-missing: a digest deleted from the chain, its log file then undigested, its predecessor unsigned', async (context) => {
    const trail = await digestedTrail(FIXTURE);
    const digest = digestListing(trail, LOG3);
    const before = trail.digests[trail.digests.indexOf(digest) - 1];
    await rm(digest.file);
    const found = await check(trail);
    // The predecessor's signature was in the deleted digest, and S3 metadata is only saved for the newest.
    expect(kinds(found.problems).sort()).toEqual(
      [`digest-missing ${digest.key}`, `log-undigested ${LOG3}`, `digest-unsigned ${before?.key}`].sort(),
    );
    expect(found.summary.digestFiles.missing).toBe(1);
    expect(found.verdict).toBe('tampered');
    if (!independent) return context.skip(NO_VERIFIER);
    const other = verifyIndependently(trail.logsDir, trail.keysFile);
    expect(other.missingDigests).toEqual([digest.key]);
    expect(other.digests[before?.key as string]).toBe('unsigned');
  });

  it('digest-moved: a digest not where it says it was delivered, or in another bucket', async (context) => {
    const trail = await digestedTrail(FIXTURE);
    const digest = digestListing(trail, LOG1);
    const movedKey = digest.key.replace('/2024/03/05/', '/2024/03/06/');
    await mkdir(path.dirname(file(trail, movedKey)), { recursive: true });
    await rename(digest.file, file(trail, movedKey));
    const found = await check(trail);
    expect(kinds(found.problems)).toContain(`digest-moved ${movedKey}`);
    expect(kinds(found.problems)).toContain(`digest-missing ${digest.key}`);
    expect(found.verdict).toBe('tampered');
    const elsewhere = await check(await digestedTrail(FIXTURE), { bucket: 'another-bucket' });
    expect(new Set(elsewhere.problems.filter((p) => p.path.includes('Digest')).map((p) => p.kind))).toEqual(
      new Set(['digest-moved']),
    );
    if (!independent) return context.skip(NO_VERIFIER);
    expect(verifyIndependently(trail.logsDir, trail.keysFile).digests[movedKey]).toBe('moved');
  });

  it('digest-unsigned: the newest digest without its saved metadata', async (context) => {
    const trail = await digestedTrail(FIXTURE);
    await rm(`${newest(trail).file}.metadata.json`);
    const found = await check(trail);
    expect(kinds(found.problems)).toEqual([`digest-unsigned ${newest(trail).key}`]);
    expect(found.verdict).toBe('unverifiable');
    expect(found.summary.digestFiles.unsigned).toBe(1);
    if (!independent) return context.skip(NO_VERIFIER);
    expect(verifyIndependently(trail.logsDir, trail.keysFile).digests[newest(trail).key]).toBe('unsigned');
  });

  it('public-key-unknown: digests signed with a key not among those given', async (context) => {
    const trail = await digestedTrail(FIXTURE);
    const otherKeys = path.join(trail.logsDir, 'other-keys.json');
    await writeFile(
      otherKeys,
      JSON.stringify(
        publicKeysJson([createSigner()], { from: '2013-01-01T00:00:00Z', to: '2099-01-01T00:00:00Z' }),
      ),
    );
    const found = await check(trail, { keysFile: otherKeys });
    expect(new Set(found.problems.map((p) => p.kind))).toEqual(new Set(['public-key-unknown']));
    expect(found.problems).toHaveLength(trail.digests.length);
    expect(found.verdict).toBe('unverifiable');
    if (!independent) return context.skip(NO_VERIFIER);
    expect(new Set(Object.values(verifyIndependently(trail.logsDir, otherKeys).digests))).toEqual(
      new Set(['unknown-key']),
    );
  });

  it('gap: validation off for some hours (the chain starts again), log files delivered then outside every digest', async () => {
    const off = { from: Date.parse('2024-03-05T10:30:00Z'), to: Date.parse('2024-03-05T12:30:00Z') };
    const trail = await digestedTrail(FIXTURE, { validationOff: off });
    const found = await check(trail);
    expect(found.problems.map((p) => p.kind)).toEqual(['gap', 'gap']);
    expect(
      found.problems.find((p) => p.path === 'AWSLogs/111122223333/CloudTrail/us-east-1')?.detail,
    ).toMatch(/^2 log file/);
    // Off from 10:30 to 12:30: the digests of 10:01 to 13:01 were not written.
    expect([found.logs.get(LOG2)?.status, found.logs.get(LOG3)?.status]).toEqual(['uncovered', 'uncovered']);
    expect(found.summary.gaps).toBe(2);
    expect(found.verdict).toBe('unverifiable');
  });

  it('an organization trail (AWSLogs/o-…/<account>/) is checked the same way', async () => {
    const trail = await digestedTrail(FIXTURE);
    const org = path.join(trail.logsDir, 'AWSLogs', 'o-abcdef1234');
    await mkdir(org);
    await rename(path.join(trail.logsDir, 'AWSLogs', '111122223333'), path.join(org, '111122223333'));
    const regenerated = await digestedTrail(trail.logsDir);
    const found = await check(regenerated);
    expect(found.verdict).toBe('intact');
    expect(found.summary.logFiles.valid).toBe(4);
  });

  it('a public key that is not DER PKCS#1 is refused by name', () => {
    expect(() =>
      publicKeyring({ PublicKeyList: [{ Value: 'bm90IGEga2V5', Fingerprint: 'abc123' }] }),
    ).toThrow(/public key abc123 is not a DER PKCS#1 RSA public key/);
  });

  it('a key from a digest that would leave the logs directory is absent, never read', async () => {
    const trail = await digestedTrail(FIXTURE);
    const objects = new LocalTrailObjects(path.join(trail.logsDir, 'AWSLogs', '111122223333'));
    expect(await objects.exists('AWSLogs/../../../../etc/passwd')).toBe(false);
    expect(await objects.hashGunzipped('/etc/passwd')).toBeUndefined();
    expect(await objects.readDigest('AWSLogs/./x')).toBeUndefined();
  });
});
