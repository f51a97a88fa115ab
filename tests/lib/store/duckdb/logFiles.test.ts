import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { daysBetween, resolveWindow, type TimeWindow } from '../../../../src/lib/sql/timeWindow.js';
import { objectBufferBytes } from '../../../../src/lib/store/duckdb/cloudtrailRelation.js';
import { findLogFiles, readJsonSizes } from '../../../../src/lib/store/duckdb/logFiles.js';

const windowOf = (from: string, to: string, extra: Record<string, string[]> = {}): TimeWindow => {
  const resolved = resolveWindow({ from, to, ...extra }, 366);
  if (!('window' in resolved)) throw new Error('bad window');
  return resolved.window;
};

let dir: string;
const layout = [
  'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/04/a.json.gz',
  'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05/b.json.gz',
  'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/06/c.json.gz',
  'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/07/d.json.gz',
  'AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/05/e.json.gz',
  'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05/digest-not-a-log.txt',
  'AWSLogs/o-abcdef1234/444455556666/CloudTrail/us-east-1/2024/03/05/f.json.gz',
  'AWSLogs/o-abcdef1234/444455556666/CloudTrail-Digest/us-east-1/2024/03/05/g.json.gz',
];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'trailhound-layout-'));
  for (const [i, file] of layout.entries()) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), 'x'.repeat(i + 1));
  }
});

const names = (files: { path: string }[]) => files.map((f) => path.basename(f.path)).sort();

describe('findLogFiles', () => {
  it("opens only the window's days plus one day of delivery slack, in both layouts", async () => {
    const files = await findLogFiles(dir, windowOf('2024-03-05T10:00:00Z', '2024-03-05T11:00:00Z'));
    expect(names(files)).toEqual(['b.json.gz', 'c.json.gz', 'e.json.gz', 'f.json.gz']);
    expect(files.find((f) => f.path.endsWith('f.json.gz'))).toMatchObject({
      account: '444455556666',
      region: 'us-east-1',
      day: '2024/03/05',
    });
  });

  it('keeps to the requested accounts and regions', async () => {
    const window = windowOf('2024-03-05T10:00:00Z', '2024-03-05T11:00:00Z', {
      accounts: ['111122223333'],
      regions: ['us-east-1'],
    });
    expect(names(await findLogFiles(dir, window))).toEqual(['b.json.gz', 'c.json.gz']);
  });

  it('reports each file with its compressed size, the bytes a scan reads', async () => {
    const files = await findLogFiles(dir, windowOf('2024-03-04T00:00:00Z', '2024-03-04T01:00:00Z'));
    expect(files.map((f) => [path.basename(f.path), f.bytes]).sort()).toEqual([
      ['a.json.gz', 1],
      ['b.json.gz', 2],
      ['e.json.gz', 5],
      ['f.json.gz', 7],
    ]);
  });

  it('reads the size of the JSON inside each gzip file from its trailer', async () => {
    const json = JSON.stringify({ Records: [{ eventID: 'x'.repeat(5000) }] });
    const file = path.join(dir, 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/10/big.json.gz');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, gzipSync(json));
    const found = await findLogFiles(dir, windowOf('2024-03-10T00:00:00Z', '2024-03-10T01:00:00Z'));
    expect(found).toMatchObject([{ bytes: gzipSync(json).length }]);
    expect(found[0]?.modifiedMs).toBeGreaterThan(0);
    expect(await readJsonSizes(found)).toEqual([Buffer.byteLength(json)]);
  });

  it('follows directories reached through symbolic links, each real directory once', async () => {
    const linked = await mkdtemp(path.join(tmpdir(), 'trailhound-linked-'));
    const target = await mkdtemp(path.join(tmpdir(), 'trailhound-target-'));
    const day = path.join(target, 'CloudTrail/us-east-1/2024/03/05');
    await mkdir(day, { recursive: true });
    await writeFile(path.join(day, 'z.json.gz'), 'zz');
    await mkdir(path.join(linked, 'AWSLogs/o-abcdef1234'), { recursive: true });
    await symlink(target, path.join(linked, 'AWSLogs/777788889999'));
    // The same account again, through a second link: read once.
    await symlink(target, path.join(linked, 'AWSLogs/o-abcdef1234/777788889999'));
    const files = await findLogFiles(linked, windowOf('2024-03-05T10:00:00Z', '2024-03-05T11:00:00Z'));
    expect(names(files)).toEqual(['z.json.gz']);
  });

  it('finds nothing, without error, where no AWSLogs directory exists', async () => {
    expect(
      await findLogFiles(path.join(dir, 'nowhere'), windowOf('2024-03-05T00:00:00Z', '2024-03-06T00:00:00Z')),
    ).toEqual([]);
  });
});

describe('daysBetween', () => {
  it('lists every day, across a month end and a leap day', () => {
    expect(daysBetween('2024/02/28', '2024/03/01')).toEqual(['2024/02/28', '2024/02/29', '2024/03/01']);
  });
});

describe('objectBufferBytes', () => {
  const sized = (jsonBytes: number, bytes = 10) => [{ bytes }, jsonBytes] as const;
  const buffer = (...files: (readonly [{ bytes: number }, number])[]) =>
    objectBufferBytes(
      files.map(([f]) => f),
      files.map(([, json]) => json),
    );
  it('fits the largest JSON, as a power of two of at least 1 MiB', () => {
    expect(buffer()).toBe(1 << 20);
    expect(buffer(sized(1000), sized(200_000))).toBe(1 << 20);
    expect(buffer(sized(1 << 20))).toBe(1 << 21);
    expect(buffer(sized(5_000_000))).toBe(1 << 23);
  });
  it('never trusts a trailer smaller than the file itself (a file of several gzip members)', () => {
    expect(buffer(sized(100, 3_000_000))).toBe(1 << 27);
  });
});
