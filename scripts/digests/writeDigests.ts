/**
 * Writes CloudTrail digest files for a directory of log files laid out as a trail writes them, as
 * CloudTrail would have delivered them with log file validation on: one digest an hour per account
 * and region, each listing the log files delivered in its hour with the SHA-256 of their gunzipped
 * bytes, chained to the previous one by its signature, and signed with SHA256withRSA over
 *   digestEndTime \n digestS3Bucket/digestS3Object \n hex(SHA-256(gunzipped digest)) \n previousDigestSignature|null
 * (the AWS CLI's validate-logs). The newest digest's signature, which S3 keeps as object metadata,
 * is written beside it as `<digest>.metadata.json`, as a user saves it with `aws s3api head-object`.
 *
 * No real trail in data/ has digests: tests, the bench and the bundled sample get theirs from
 * here, signed with a key made for the purpose (its public half in the format of
 * `aws cloudtrail list-public-keys`). The product's verification is checked against an
 * independent implementation (tests/helpers/verify_digests.py), not against this file.
 */
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

const HOUR_MS = 3_600_000;

/** A digest signing key and how CloudTrail names it. */
export interface DigestSigner {
  readonly privateKey: KeyObject;
  /** The public key, DER PKCS#1, as ListPublicKeys returns it (base64 in the CLI's JSON). */
  readonly publicKeyDer: Buffer;
  /** `digestPublicKeyFingerprint`: here the hex MD5 of the DER public key. */
  readonly fingerprint: string;
}

/** A new 2048-bit RSA key, the kind CloudTrail signs with. */
export const createSigner = (): DigestSigner => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKeyDer = createPublicKey(privateKey).export({ format: 'der', type: 'pkcs1' });
  return { privateKey, publicKeyDer, fingerprint: createHash('md5').update(publicKeyDer).digest('hex') };
};

/** What `aws cloudtrail list-public-keys` prints for these keys, valid over the given span. */
export const publicKeysJson = (signers: readonly DigestSigner[], validity: { from: string; to: string }) => ({
  PublicKeyList: signers.map((s) => ({
    Value: s.publicKeyDer.toString('base64'),
    ValidityStartTime: validity.from,
    ValidityEndTime: validity.to,
    Fingerprint: s.fingerprint,
  })),
});

export interface DigestOptions {
  readonly signer: DigestSigner;
  readonly bucket: string;
  readonly trailName: string;
  /** The trail's home region; by default each log region is its own. */
  readonly homeRegion?: string;
  /** Seconds past the hour each digest period starts (CloudTrail's are not aligned to the hour). */
  readonly offsetSeconds?: number;
  /** Digests written before the first log file's hour and after the last one's. */
  readonly emptyHoursAround?: number;
  /**
   * Log file validation off over this span (ms since the epoch): no digest for its hours, and the
   * first one after it starts a new chain, as CloudTrail does when validation is turned back on.
   */
  readonly validationOff?: { readonly from: number; readonly to: number };
}

interface LogObject {
  /** The S3 key: the path under the logs directory, with `/`. */
  readonly key: string;
  readonly file: string;
  /** Delivery time from the file name (`_20230710T1237Z_`). */
  readonly deliveredMs: number;
}

/** `<prefix>` is `AWSLogs/<account>` or `AWSLogs/<o-id>/<account>`. */
interface Chain {
  readonly prefix: string;
  readonly account: string;
  readonly region: string;
  readonly logs: LogObject[];
}

const LOG_NAME = /^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{8}T\d{4})Z_[A-Za-z0-9]+\.json\.gz$/;

const walk = async (dir: string): Promise<string[]> => {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
};

const stampMs = (stamp: string): number =>
  Date.UTC(
    +stamp.slice(0, 4),
    +stamp.slice(4, 6) - 1,
    +stamp.slice(6, 8),
    +stamp.slice(9, 11),
    +stamp.slice(11, 13),
    +(stamp.slice(13, 15) || 0),
  );

const isoSeconds = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const fileStamp = (ms: number): string => isoSeconds(ms).replaceAll('-', '').replaceAll(':', '');

/** The log files under `logsDir`, by account and region. */
const chainsIn = async (logsDir: string): Promise<Chain[]> => {
  const chains = new Map<string, Chain>();
  for (const file of await walk(path.join(logsDir, 'AWSLogs'))) {
    const key = path.relative(logsDir, file).split(path.sep).join('/');
    const match = LOG_NAME.exec(path.basename(file));
    const at = key.indexOf('/CloudTrail/');
    if (!match || at < 0) continue;
    const [, account, region, stamp] = match as unknown as [string, string, string, string];
    const prefix = key.slice(0, at);
    const id = `${prefix}|${region}`;
    const chain = chains.get(id) ?? { prefix, account, region, logs: [] };
    chain.logs.push({ key, file, deliveredMs: stampMs(stamp) });
    chains.set(id, chain);
  }
  return [...chains.values()];
};

interface Hashed {
  readonly object: LogObject;
  readonly hash: string;
  readonly oldest?: string;
  readonly newest?: string;
}

const hashLog = async (object: LogObject): Promise<Hashed> => {
  const json = gunzipSync(await readFile(object.file));
  const times = (JSON.parse(json.toString('utf8')).Records as { eventTime?: string }[])
    .map((r) => r.eventTime)
    .filter((t): t is string => typeof t === 'string')
    .sort();
  return {
    object,
    hash: createHash('sha256').update(json).digest('hex'),
    ...(times.length ? { oldest: times[0], newest: times.at(-1) } : {}),
  };
};

/** The text a digest's signature signs, per the AWS CLI's validate-logs. */
const digestStringToSign = (digest: DigestJson, inflated: Buffer): string =>
  [
    digest.digestEndTime,
    `${digest.digestS3Bucket}/${digest.digestS3Object}`,
    createHash('sha256').update(inflated).digest('hex'),
    digest.previousDigestSignature ?? 'null',
  ].join('\n');

interface DigestJson {
  readonly digestEndTime: string;
  readonly digestS3Bucket: string;
  readonly digestS3Object: string;
  readonly previousDigestSignature: string | null;
  readonly [field: string]: unknown;
}

/** One written digest: where, and what signs it. */
export interface WrittenDigest {
  readonly key: string;
  readonly file: string;
  readonly signature: string;
  readonly logKeys: readonly string[];
}

/** Writes the digests of every log file under `logsDir`; returns them oldest first per chain. */
export const writeDigests = async (logsDir: string, options: DigestOptions): Promise<WrittenDigest[]> => {
  const offsetMs = (options.offsetSeconds ?? 91) * 1000;
  const around = options.emptyHoursAround ?? 1;
  const written: WrittenDigest[] = [];
  for (const chain of await chainsIn(logsDir)) {
    const hashed = await Promise.all(chain.logs.map(hashLog));
    const periodOf = (ms: number) => Math.floor((ms - offsetMs) / HOUR_MS) * HOUR_MS + offsetMs;
    const times = hashed.map((h) => h.object.deliveredMs);
    const first = periodOf(Math.min(...times)) - around * HOUR_MS;
    const last = periodOf(Math.max(...times)) + around * HOUR_MS;
    let previous: { key: string; signature: string; hash: string } | undefined;
    // The newest digest of a chain has its signature only in S3 metadata: saved beside it, as a user does.
    const saveMetadata = async () => {
      const newest = written.at(-1);
      if (!previous || !newest) return;
      await writeFile(
        `${newest.file}.metadata.json`,
        `${JSON.stringify({ signature: newest.signature, 'signature-algorithm': 'SHA256withRSA' }, null, 2)}\n`,
      );
    };
    for (let start = first; start <= last; start += HOUR_MS) {
      const end = start + HOUR_MS;
      const off = options.validationOff;
      if (off && end > off.from && start < off.to) {
        await saveMetadata();
        previous = undefined;
        continue;
      }
      const logs = hashed
        .filter((h) => h.object.deliveredMs >= start && h.object.deliveredMs < end)
        .sort((a, b) => a.object.key.localeCompare(b.object.key));
      const endStamp = fileStamp(end);
      const day = isoSeconds(end).slice(0, 10).replaceAll('-', '/');
      const home = options.homeRegion ?? chain.region;
      const key = `${chain.prefix}/CloudTrail-Digest/${chain.region}/${day}/${chain.account}_CloudTrail-Digest_${chain.region}_${options.trailName}_${home}_${endStamp}.json.gz`;
      const newest = logs
        .map((l) => l.newest)
        .filter((t) => t !== undefined)
        .sort()
        .at(-1);
      const oldest = logs
        .map((l) => l.oldest)
        .filter((t) => t !== undefined)
        .sort()[0];
      const digest: DigestJson = {
        awsAccountId: chain.account,
        digestStartTime: isoSeconds(start),
        digestEndTime: isoSeconds(end),
        digestS3Bucket: options.bucket,
        digestS3Object: key,
        digestPublicKeyFingerprint: options.signer.fingerprint,
        digestSignatureAlgorithm: 'SHA256withRSA',
        ...(newest ? { newestEventTime: newest, oldestEventTime: oldest } : {}),
        previousDigestS3Bucket: previous ? options.bucket : null,
        previousDigestS3Object: previous?.key ?? null,
        previousDigestHashValue: previous?.hash ?? null,
        previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
        previousDigestSignature: previous?.signature ?? null,
        logFiles: logs.map((l) => ({
          s3Bucket: options.bucket,
          s3Object: l.object.key,
          hashValue: l.hash,
          hashAlgorithm: 'SHA-256',
          ...(l.newest ? { newestEventTime: l.newest, oldestEventTime: l.oldest } : {}),
        })),
      };
      const inflated = Buffer.from(JSON.stringify(digest));
      const signature = sign(
        'sha256',
        Buffer.from(digestStringToSign(digest, inflated)),
        options.signer.privateKey,
      ).toString('hex');
      const file = path.join(logsDir, ...key.split('/'));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, gzipSync(inflated));
      written.push({ key, file, signature, logKeys: logs.map((l) => l.object.key) });
      previous = { key, signature, hash: createHash('sha256').update(inflated).digest('hex') };
    }
    await saveMetadata();
  }
  return written;
};
