/**
 * A trail with digests for integrity tests: a copy of a fixture's logs, its digests written by
 * scripts/digests/writeDigests.ts with a key made once per test file, and the independent check of
 * tests/helpers/verify_digests.py (Python, from the AWS CLI's validate-logs), which tests skip
 * with a message where python3 or its cryptography package is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CloudTrailClient, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  createSigner,
  type DigestOptions,
  type DigestSigner,
  publicKeysJson,
  type WrittenDigest,
  writeDigests,
} from '../../scripts/digests/writeDigests.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const VERIFIER = path.join(HERE, 'verify_digests.py');

export const hasIndependentVerifier = (): boolean =>
  spawnSync('python3', ['-c', 'import cryptography'], { stdio: 'ignore' }).status === 0;
export const NO_VERIFIER =
  'python3 with the cryptography package is not installed (pip install cryptography): skipped';

let signer: DigestSigner | undefined;
/** One key per test file: RSA key generation takes a while. */
const testSigner = (): DigestSigner => {
  signer ??= createSigner();
  return signer;
};

export interface DigestedTrail {
  readonly logsDir: string;
  readonly keysFile: string;
  readonly digests: WrittenDigest[];
}

/** A copy of `fixtureDir` (holding AWSLogs/) with digests, and the public key's file. */
export const digestedTrail = async (
  fixtureDir: string,
  options: Partial<DigestOptions> = {},
): Promise<DigestedTrail> => {
  const logsDir = await mkdtemp(path.join(tmpdir(), 'trailhound-digested-'));
  await cp(path.join(fixtureDir, 'AWSLogs'), path.join(logsDir, 'AWSLogs'), { recursive: true });
  const digests = await writeDigests(logsDir, {
    signer: testSigner(),
    bucket: 'test-trail-bucket',
    trailName: 'test-trail',
    ...options,
  });
  const keysFile = path.join(logsDir, 'public-keys.json');
  await writeFile(
    keysFile,
    JSON.stringify(
      publicKeysJson([options.signer ?? testSigner()], {
        from: '2013-01-01T00:00:00Z',
        to: '2099-01-01T00:00:00Z',
      }),
    ),
  );
  return { logsDir, keysFile, digests };
};

export interface IndependentVerdict {
  readonly digests: Record<string, string>;
  readonly logs: Record<string, string>;
  readonly missingDigests: string[];
}

/** What the independent check finds under `logsDir`. */
export const verifyIndependently = (logsDir: string, keysFile: string, bucket?: string): IndependentVerdict =>
  JSON.parse(
    execFileSync('python3', [VERIFIER, logsDir, keysFile, ...(bucket ? [bucket] : [])], { encoding: 'utf8' }),
  ) as IndependentVerdict;

/**
 * Puts a digested trail in an S3 bucket as CloudTrail delivers it: every log and digest under its
 * key, and the newest digest's signature as its object metadata (the `.metadata.json` beside it
 * on disk), not as a file.
 */
export const putTrailInBucket = async (s3: S3Client, bucket: string, trail: DigestedTrail): Promise<void> => {
  const files = (await readdir(path.join(trail.logsDir, 'AWSLogs'), { withFileTypes: true, recursive: true }))
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
  for (const file of files.filter((f) => !f.endsWith('.metadata.json'))) {
    const key = path.relative(trail.logsDir, file).split(path.sep).join('/');
    const metadata = files.includes(`${file}.metadata.json`)
      ? JSON.parse(await readFile(`${file}.metadata.json`, 'utf8'))
      : undefined;
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: await readFile(file),
        ...(metadata ? { Metadata: metadata } : {}),
      }),
    );
  }
};

/**
 * ListPublicKeys as CloudTrail answers it, faked on a real client: the trail's key in a second
 * page (the first empty, with a NextToken), its DER as bytes as the SDK hands it.
 */
export const fakeListPublicKeys = async (
  client: CloudTrailClient,
  trail: Pick<DigestedTrail, 'keysFile'>,
) => {
  const { PublicKeyList: keys } = JSON.parse(await readFile(trail.keysFile, 'utf8')) as {
    PublicKeyList: { Value: string; Fingerprint: string }[];
  };
  const key = keys[0] as { Value: string; Fingerprint: string };
  const mock = mockClient(client);
  mock
    .on(ListPublicKeysCommand)
    .resolvesOnce({ PublicKeyList: [], NextToken: 'page-2' })
    .resolves({
      PublicKeyList: [
        { Value: new Uint8Array(Buffer.from(key.Value, 'base64')), Fingerprint: key.Fingerprint },
      ],
    });
  return mock;
};
