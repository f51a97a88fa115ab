/**
 * Verifies the log files of a window against the trail's digests, as `aws cloudtrail validate-logs`
 * does, and says what it found by kind of problem (integrityReport.ts). A digest is valid when a
 * signature of it, from its saved metadata or its successor's `previousDigestSignature`, verifies
 * with CloudTrail's public key: a signature cannot be made for changed content, so where it was
 * found does not matter. A log file is valid when a digest lists it with its gunzipped SHA-256.
 * Chains run backwards: a named previous digest that is absent is missing; a digest that names
 * none while an older one exists starts a new chain (validation was off in between).
 */

import { promisify } from 'node:util';
import { gunzip, gunzipSync } from 'node:zlib';
import { mapLimited } from '../mapLimited.js';
import {
  type DigestFile,
  DigestFileSchema,
  type DigestKeyParts,
  digestHash,
  digestKeyParts,
  digestSignedText,
  keyFromAwsLogs,
} from './digestFile.js';
import {
  type IntegrityProblem,
  type IntegritySummary,
  type ProblemKind,
  type Verdict,
  verdictOf,
} from './integrityReport.js';
import { type PublicKeyring, verifiesDigest } from './publicKeys.js';
import type { TrailObjects } from './trailObjects.js';

const gunzipAsync = promisify(gunzip);
const HOUR_MS = 3_600_000;
/** Files read or hashed at once: a hash pool has a worker a core. */
const PARALLEL = 8;
const TURN_EVERY = 256;

export interface WindowLogFile {
  readonly key: string;
  readonly account: string;
  readonly region: string;
  readonly deliveredMs: number | undefined;
}

export interface TrailVerification {
  readonly objects: TrailObjects;
  readonly keyring: PublicKeyring;
  /** The log files the window reads. */
  readonly logFiles: readonly WindowLogFile[];
  /** The days whose digests are checked and counted: the log files' days and the one after. */
  readonly digestDays: readonly string[];
  /** Days after those whose digests are read only for the signatures they carry of older ones. */
  readonly signerDays: readonly string[];
  readonly accounts?: readonly string[] | undefined;
  readonly regions?: readonly string[] | undefined;
  /** Whether a log file a digest lists is one of the window's (its account, region and day). */
  readonly inWindow: (key: string) => boolean;
  /** The trail's bucket: digests naming another are moved. Unset: not compared. */
  readonly bucket?: string | undefined;
  readonly onProgress?: (progress: { done: number; total: number }) => void;
}

type LogStatus = 'valid' | 'modified' | 'undigested' | 'uncovered';

export interface TrailIntegrity {
  readonly verdict: Verdict;
  readonly summary: IntegritySummary;
  readonly problems: IntegrityProblem[];
  /** Each log file of the window: what was found, and its hash where it was computed. */
  readonly logs: ReadonlyMap<string, { status: LogStatus; sha256?: string }>;
}

interface Digest {
  readonly key: string;
  readonly parts: DigestKeyParts;
  readonly file: DigestFile | undefined;
  /** Hex SHA-256 of its gunzipped bytes (kept instead of the bytes: a year has 35,000 digests). */
  readonly sha256: string | undefined;
}

/** Digests are a kilobyte or two: inflated here, not through the thread pool; a large one is not. */
const SMALL = 1 << 20;

const loadDigest = async (objects: TrailObjects, key: string, parts: DigestKeyParts): Promise<Digest> => {
  const bytes = (await objects.readDigest(key)) ?? Buffer.alloc(0);
  try {
    const gunzipped = bytes.length < SMALL ? gunzipSync(bytes) : await gunzipAsync(bytes);
    const parsed = DigestFileSchema.safeParse(JSON.parse(gunzipped.toString('utf8')));
    return { key, parts, file: parsed.success ? parsed.data : undefined, sha256: digestHash(gunzipped) };
  } catch {
    return { key, parts, file: undefined, sha256: undefined };
  }
};

const groupBy = <T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
};

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

export const verifyTrail = async (input: TrailVerification): Promise<TrailIntegrity> => {
  const problems: IntegrityProblem[] = [];
  const add = (kind: ProblemKind, path: string, detail: string) => problems.push({ kind, path, detail });
  const summary: IntegritySummary = {
    digestFiles: { valid: 0, invalid: 0, missing: 0, unsigned: 0 },
    logFiles: { valid: 0, invalid: 0, missing: 0, undigested: 0 },
    gaps: 0,
  };
  const scope = { accounts: input.accounts, regions: input.regions };
  const named = async (days: readonly string[]) =>
    (await input.objects.listDigests({ days, ...scope })).flatMap((key) => {
      const parts = digestKeyParts(key);
      return parts ? [{ key, parts }] : [];
    });
  const counted = await named(input.digestDays);
  const signers = await named(input.signerDays);
  let done = 0;
  const total = counted.length + input.logFiles.length;
  /** Counts a file done; every few hundred, gives the event loop a turn (requests are served meanwhile). */
  const tick = async () => {
    input.onProgress?.({ done: ++done, total });
    if (done % TURN_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  };

  // Every log file of the window is hashed while the digests are read (the costly part, on the
  // pool's workers): its hash is the evidence's even where no digest lists it.
  const hashes = new Map(
    input.logFiles.map((f) => {
      const hashing = input.objects.hashGunzipped(f.key);
      hashing.catch(() => undefined); // awaited below, where a failure is the check's
      return [f.key, hashing] as const;
    }),
  );
  const digests = await mapLimited(counted, PARALLEL, async ({ key, parts }) => {
    const digest = await loadDigest(input.objects, key, parts);
    await tick();
    return digest;
  });
  const signerDigests = await mapLimited(signers, PARALLEL, ({ key, parts }) =>
    loadDigest(input.objects, key, parts),
  );
  const present = new Set(digests.map((d) => d.key));
  // The signatures successors carry of their predecessors.
  const carried = new Map<string, string>();
  for (const d of [...digests, ...signerDigests]) {
    if (d.file?.previousDigestS3Object && d.file.previousDigestSignature) {
      carried.set(keyFromAwsLogs(d.file.previousDigestS3Object), d.file.previousDigestSignature);
    }
  }
  const firstCountedMs = Date.parse(
    `${(input.digestDays[0] ?? '9999/12/31').replaceAll('/', '-')}T00:00:00Z`,
  );
  // Hours the digests cover, by account and region: a log file delivered in one must be listed.
  const coverage = new Map<string, [number, number][]>();
  const cover = (parts: { account: string; region: string }, from: number, to: number) => {
    const id = `${parts.account}|${parts.region}`;
    const spans = coverage.get(id);
    if (spans) spans.push([from, to]);
    else coverage.set(id, [[from, to]]);
  };

  const checkSignature = async (
    d: Digest & { file: DigestFile; sha256: string },
  ): Promise<'valid' | 'invalid' | 'unsigned'> => {
    if (
      keyFromAwsLogs(d.file.digestS3Object) !== d.key ||
      (input.bucket && d.file.digestS3Bucket !== input.bucket)
    ) {
      add(
        'digest-moved',
        d.key,
        `the digest says it was delivered to s3://${d.file.digestS3Bucket}/${d.file.digestS3Object}`,
      );
      return 'invalid';
    }
    const signature = carried.get(d.key) ?? (await input.objects.savedSignature(d.key));
    if (!signature) {
      add(
        'digest-unsigned',
        d.key,
        "no signature: no later digest carries it, and no .metadata.json beside it (save the newest digest's S3 metadata with `aws s3api head-object`)",
      );
      return 'unsigned';
    }
    const key = input.keyring.get(d.file.digestPublicKeyFingerprint);
    if (!key) {
      add(
        'public-key-unknown',
        d.key,
        `no public key with fingerprint ${d.file.digestPublicKeyFingerprint} (aws cloudtrail list-public-keys)`,
      );
      return 'unsigned';
    }
    if (verifiesDigest(key, digestSignedText(d.file, d.sha256), signature)) return 'valid';
    add(
      'digest-invalid-signature',
      d.key,
      'the signature does not verify: the digest was changed after CloudTrail signed it',
    );
    return 'invalid';
  };

  const chains = groupBy(digests, (d) => d.parts.chain);
  const trusted = new Set<Digest>();
  for (const chain of chains.values()) {
    chain.sort((a, b) => b.parts.endMs - a.parts.endMs);
    for (const [i, d] of chain.entries()) {
      if (!d.file || !d.sha256) {
        add(
          'digest-invalid-signature',
          d.key,
          'not a CloudTrail digest: not gzipped JSON with the fields validate-logs requires',
        );
        summary.digestFiles.invalid++;
        cover(d.parts, d.parts.endMs - HOUR_MS, d.parts.endMs);
        continue;
      }
      const start = Date.parse(d.file.digestStartTime);
      cover(d.parts, start, Date.parse(d.file.digestEndTime));
      const status = await checkSignature(d as Digest & { file: DigestFile; sha256: string });
      summary.digestFiles[status]++;
      if (status === 'valid') trusted.add(d);
      if (d.parts.backfill) continue;
      const previous = d.file.previousDigestS3Object
        ? keyFromAwsLogs(d.file.previousDigestS3Object)
        : undefined;
      const previousParts = previous ? digestKeyParts(previous) : undefined;
      if (previous && !present.has(previous) && (previousParts?.endMs ?? start) >= firstCountedMs) {
        add('digest-missing', previous, `named as the previous digest by ${d.key}, and not there`);
        summary.digestFiles.missing++;
        cover(d.parts, start - HOUR_MS, start);
      } else if (!previous) {
        const older = chain.slice(i + 1).find((o) => !o.parts.backfill);
        if (older) {
          add(
            'gap',
            d.key,
            `a new chain starts here: no digest from ${iso(older.parts.endMs)} to ${d.file.digestStartTime} (log file validation was off)`,
          );
          summary.gaps++;
        }
      }
    }
  }

  // What the digests list, the trusted ones last so that theirs stands.
  const listed = new Map<string, string>();
  for (const d of [...digests.filter((d) => !trusted.has(d)), ...trusted]) {
    for (const log of d.file?.logFiles ?? [])
      listed.set(keyFromAwsLogs(log.s3Object), log.hashValue.toLowerCase());
  }
  const onDisk = new Set(input.logFiles.map((f) => f.key));
  for (const key of listed.keys()) {
    if (!onDisk.has(key) && input.inWindow(key)) {
      add('log-missing', key, 'listed by a digest, and not there');
      summary.logFiles.missing++;
    }
  }
  const covered = (f: WindowLogFile) =>
    (coverage.get(`${f.account}|${f.region}`) ?? []).some(
      // The file name gives the minute: delivered within it.
      ([from, to]) => f.deliveredMs !== undefined && f.deliveredMs + 60_000 > from && f.deliveredMs < to,
    );
  const logs = new Map<string, { status: LogStatus; sha256?: string }>();
  await mapLimited(input.logFiles, PARALLEL, async (f) => {
    const expected = listed.get(f.key);
    const sha256 = await hashes.get(f.key);
    if (expected !== undefined) {
      if (sha256 === expected) {
        summary.logFiles.valid++;
        logs.set(f.key, { status: 'valid', sha256 });
      } else {
        add('log-modified', f.key, `its gunzipped SHA-256 is ${sha256}; its digest lists ${expected}`);
        summary.logFiles.invalid++;
        logs.set(f.key, { status: 'modified', ...(sha256 ? { sha256 } : {}) });
      }
    } else if (covered(f)) {
      add('log-undigested', f.key, 'delivered in an hour the digests cover, and no present digest lists it');
      summary.logFiles.undigested++;
      logs.set(f.key, { status: 'undigested', ...(sha256 ? { sha256 } : {}) });
    } else {
      logs.set(f.key, { status: 'uncovered', ...(sha256 ? { sha256 } : {}) });
    }
    await tick();
  });
  const uncovered = groupBy(
    input.logFiles.filter((f) => logs.get(f.key)?.status === 'uncovered'),
    (f) => `AWSLogs/${f.account}/CloudTrail/${f.region}`,
  );
  for (const [where, files] of uncovered) {
    add(
      'gap',
      where,
      `${files.length} log file(s) delivered in hours no digest covers (log file validation was off, or the digests were not copied beside the logs)`,
    );
    summary.gaps++;
  }
  problems.sort((a, b) => a.path.localeCompare(b.path) || a.kind.localeCompare(b.kind));
  return { verdict: verdictOf(problems), summary, problems, logs };
};
