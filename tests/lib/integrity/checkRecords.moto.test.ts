/**
 * Where integrity checks are kept, both kinds held to one contract: a check's progress replaced as
 * it moves, its end written once (the first end stands, of two written at once exactly one), the
 * end read before the progress, so a progress save landing after the end changes nothing a reader
 * sees. Files on disk (the local server), and the results bucket through the real S3 client against
 * moto_server (`If-None-Match: *`), skipped with a message where moto is absent. A record kept
 * before ends were kept apart (its end in the progress object) still reads as it was.
 */
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckFiles } from '../../../src/lib/integrity/checkFiles.js';
import type { CheckRecord, CheckRecords } from '../../../src/lib/integrity/integrityChecks.js';
import { S3CheckRecords } from '../../../src/lib/integrity/s3CheckRecords.js';
import { hasMoto, type Moto, motoS3Client, startMoto } from '../../helpers/motoServer.js';

const BUCKET = 'test-results-bucket';
const available = hasMoto();
let moto: Moto | undefined;
let s3: S3Client;

beforeAll(async () => {
  if (!available) return;
  moto = await startMoto();
  s3 = motoS3Client(moto);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 60_000);
afterAll(() => moto?.stop());

let ids = 0;
const running = (): CheckRecord => ({
  checkId: `0b0c0d0e-1111-4222-8333-${String(++ids).padStart(12, '0')}`,
  state: 'RUNNING',
  window: { from: '2024-03-05T00:00:00Z', to: '2024-03-06T00:00:00Z' },
  submittedAt: '2026-12-05T10:00:00.000Z',
  progress: { filesDone: 0, filesTotal: 4 },
  problems: [],
});
const failed = (record: CheckRecord, message: string): CheckRecord => ({
  ...record,
  state: 'FAILED',
  completedAt: '2026-12-05T10:01:00.000Z',
  error: { message },
});

interface Kind {
  readonly name: string;
  readonly moto: boolean;
  /** The records, and a way to put a record where an earlier version kept it (its one object). */
  make(): Promise<{ records: CheckRecords; putAsBefore: (record: CheckRecord) => Promise<unknown> }>;
}

const kinds: Kind[] = [
  {
    name: 'files',
    moto: false,
    make: async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'checks-'));
      return {
        records: new CheckFiles(dir),
        putAsBefore: (record) => writeFile(path.join(dir, `${record.checkId}.json`), JSON.stringify(record)),
      };
    },
  },
  {
    name: 'the results bucket (moto)',
    moto: true,
    make: async () => ({
      records: new S3CheckRecords(s3, BUCKET),
      putAsBefore: (record) =>
        s3.send(
          new PutObjectCommand({
            Bucket: BUCKET,
            Key: `integrity-checks/${record.checkId}.json`,
            Body: JSON.stringify(record),
          }),
        ),
    }),
  },
];

describe.each(kinds)('integrity checks kept in $name', ({ make, moto: needsMoto }) => {
  const skipped = needsMoto && !available;
  const why = 'moto_server is not on the PATH (pip install "moto[server]"): skipped';

  it('keeps the first end, reads it before any progress, and a progress save after it changes nothing', async (context) => {
    if (skipped) return context.skip(why);
    const { records } = await make();
    const record = running();
    expect(await records.load(record.checkId)).toBeUndefined();
    await records.save(record);
    await records.save({ ...record, progress: { filesDone: 2, filesTotal: 4 } });
    expect(await records.load(record.checkId)).toMatchObject({
      state: 'RUNNING',
      progress: { filesDone: 2 },
    });

    expect(await records.end(failed(record, 'abandoned'))).toBe(true);
    await records.save({ ...record, progress: { filesDone: 3, filesTotal: 4 } });
    expect(
      await records.end({ ...record, state: 'SUCCEEDED', completedAt: '2026-12-05T10:02:00.000Z' }),
    ).toBe(false);
    expect(await records.load(record.checkId)).toMatchObject({
      state: 'FAILED',
      error: { message: 'abandoned' },
      progress: { filesDone: 0 },
    });
  });

  it('of two ends written at once keeps exactly one', async (context) => {
    if (skipped) return context.skip(why);
    const { records } = await make();
    const record = running();
    await records.save(record);
    const kept = await Promise.all([
      records.end(failed(record, 'first')),
      records.end(failed(record, 'second')),
    ]);
    expect(kept.filter(Boolean)).toHaveLength(1);
    const message = kept[0] ? 'first' : 'second';
    expect(await records.load(record.checkId)).toMatchObject({ state: 'FAILED', error: { message } });
  });

  it('reads a check kept before ends were kept apart, ended in its progress record', async (context) => {
    if (skipped) return context.skip(why);
    const { records, putAsBefore } = await make();
    const record = failed(running(), 'kept by an earlier version');
    await putAsBefore(record);
    expect(await records.load(record.checkId)).toEqual(record);
  });
});

describe('integrity checks kept in files', () => {
  it('remove, when the server starts, what a stopped one left written aside, and nothing else', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'checks-'));
    const records = new CheckFiles(dir);
    const record = running();
    await records.save(record);
    await records.end(failed(record, 'ended'));
    await writeFile(
      path.join(dir, `${record.checkId}.0b0c0d0e-1111-4222-8333-444455556666.partial`),
      '{"chec',
    );
    expect(await records.removePartials()).toBe(1);
    expect((await readdir(dir)).sort()).toEqual([`${record.checkId}.ended.json`, `${record.checkId}.json`]);
    expect(await records.load(record.checkId)).toMatchObject({ state: 'FAILED' });
    expect(await new CheckFiles(path.join(dir, 'none')).removePartials()).toBe(0);
  });
});
