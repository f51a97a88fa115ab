/**
 * TrailObjects over a local copy of a trail's bucket (`aws s3 sync`), the logs directory. S3 object
 * metadata does not survive a sync, so a digest's own signature is read from the
 * `<digest>.metadata.json` a user saves beside it (`aws s3api head-object`); the others' are in
 * their successors.
 */
import { readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { accountDirs } from '../store/duckdb/logFiles.js';
import { DIGEST_KEY } from './digestFile.js';
import type { HashPool } from './hashPool.js';
import type { TrailObjects } from './trailObjects.js';

/** What a key may hold to be looked up on disk: no `..`, nothing absolute, nothing odd. */
const SAFE_KEY = /^AWSLogs\/(?:[A-Za-z0-9._+=-]+\/)*[A-Za-z0-9._+=-]+$/;

const MetadataSchema = z.object({ signature: z.string() });

const absent = (error: unknown) =>
  ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

const namesIn = async (dir: string): Promise<string[]> => {
  try {
    return await readdir(dir);
  } catch (error) {
    if (absent(error)) return [];
    throw error;
  }
};

/**
 * Digests and their metadata are a kilobyte or two each, some 35,000 a year of four regions: read
 * synchronously (a system call, not a trip through the thread pool), between turns the checker
 * gives. Log files are hashed by the pool's workers.
 */
export class LocalTrailObjects implements TrailObjects {
  constructor(
    private readonly logsDir: string,
    private readonly pool?: HashPool,
  ) {}

  /** The file of `key`, or undefined for a key that is not a plain path under AWSLogs/. */
  private fileOf(key: string): string | undefined {
    if (!SAFE_KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.')) return undefined;
    return path.join(this.logsDir, ...key.split('/'));
  }

  private read(key: string): Buffer | undefined {
    const file = this.fileOf(key);
    if (!file) return undefined;
    try {
      return readFileSync(file);
    } catch (error) {
      if (absent(error) || (error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      throw error;
    }
  }

  async listDigests(scope: Parameters<TrailObjects['listDigests']>[0]): Promise<string[]> {
    const accountKeys = (await accountDirs(path.join(this.logsDir, 'AWSLogs'))).map(({ dir }) =>
      path.relative(this.logsDir, dir).split(path.sep).join('/'),
    );
    const keys: string[] = [];
    for (const accountKey of accountKeys) {
      if (scope.accounts && !scope.accounts.includes(accountKey.slice(-12))) continue;
      const digestDir = `${accountKey}/CloudTrail-Digest`;
      for (const region of await namesIn(path.join(this.logsDir, ...digestDir.split('/')))) {
        if (scope.regions && !scope.regions.includes(region)) continue;
        for (const day of scope.days) {
          const dayKey = `${digestDir}/${region}/${day}`;
          for (const name of await namesIn(path.join(this.logsDir, ...dayKey.split('/')))) {
            if (DIGEST_KEY.test(`${dayKey}/${name}`)) keys.push(`${dayKey}/${name}`);
          }
        }
      }
    }
    return keys;
  }

  async readDigest(key: string): Promise<Buffer | undefined> {
    return this.read(key);
  }

  async savedSignature(key: string): Promise<string | undefined> {
    const bytes = this.read(`${key}.metadata.json`);
    if (!bytes) return undefined;
    try {
      return MetadataSchema.parse(JSON.parse(bytes.toString('utf8'))).signature;
    } catch {
      return undefined;
    }
  }

  async exists(key: string): Promise<boolean> {
    const file = this.fileOf(key);
    return file !== undefined && statSync(file, { throwIfNoEntry: false })?.isFile() === true;
  }

  async hashGunzipped(key: string): Promise<string | undefined> {
    const file = this.fileOf(key);
    if (!file) return undefined;
    if (!this.pool) throw new Error('LocalTrailObjects was made without a hash pool');
    return this.pool.hash(file);
  }
}
