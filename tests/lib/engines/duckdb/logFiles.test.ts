import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { daysBetween, findLogFiles } from '../../../../src/lib/engines/duckdb/logFiles.js';
import { resolveWindow, type TimeWindow } from '../../../../src/lib/sql/timeWindow.js';

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
