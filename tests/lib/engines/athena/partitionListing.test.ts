/**
 * The Athena estimate lists the trail bucket: it must count exactly the log files of the window's
 * partitions, the day of delivery slack included, whatever the paging, and nothing else.
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AthenaEngine } from '../../../../src/lib/engines/athena/athenaEngine.js';
import type { ExecutionRequest } from '../../../../src/lib/engines/queryEngine.js';
import { EstimateUnavailableError } from '../../../../src/lib/errors.js';
import { resolveWindow, type TimeWindow } from '../../../../src/lib/sql/timeWindow.js';

const BUCKET = 'acme-trail';
const A = '111122223333';
const B = '444455556666';
const ORG = 'AWSLogs/o-abcdef1234/';

/** A bucket as a trail fills it: a file per hour of each day, account and region, sized apart. */
const objects = (() => {
  const out: { Key: string; Size: number }[] = [];
  let size = 1000;
  for (const account of [A, B, '777788889999'])
    for (const region of ['us-east-1', 'eu-west-1', 'ap-south-1'])
      for (const day of ['2023/06/30', '2023/07/09', '2023/07/10', '2023/07/11', '2023/07/12', '2023/08/01'])
        for (const hour of ['0005', '1210']) {
          size += 7;
          const stamp = `${day.replaceAll('/', '')}T${hour}Z`;
          out.push({
            Key: `${ORG}${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_${stamp}_abcd.json.gz`,
            Size: size,
          });
        }
  // Not log files: the digest's folder and a stray object are never counted.
  out.push({ Key: `${ORG}${A}/CloudTrail/us-east-1/2023/07/10/notes.txt`, Size: 10 ** 9 });
  out.push({ Key: `${ORG}${A}/CloudTrail-Digest/us-east-1/2023/07/10/d.json.gz`, Size: 10 ** 9 });
  return out.sort((x, y) => (x.Key < y.Key ? -1 : 1));
})();

const s3 = new S3Client({ region: 'us-east-1' });
const s3Mock = mockClient(s3);
const PAGE = 3;

beforeEach(() => {
  s3Mock.reset();
  // S3's ListObjectsV2: binary key order, under Prefix, after StartAfter or the token, a page at most.
  s3Mock.on(ListObjectsV2Command).callsFake(async (input) => {
    const after = input.ContinuationToken ?? input.StartAfter ?? '';
    const matching = objects.filter((o) => o.Key.startsWith(input.Prefix ?? '') && o.Key > after);
    const page = matching.slice(0, PAGE);
    return {
      Contents: page,
      IsTruncated: matching.length > PAGE,
      ...(matching.length > PAGE ? { NextContinuationToken: page.at(-1)?.Key } : {}),
    };
  });
});

const engineFor = (maxCalls = 1000) =>
  new AthenaEngine({
    athena: {} as never,
    s3,
    workGroup: 'w',
    database: 'd',
    catalog: 'c',
    retryBudgetMs: 2000,
    estimateMaxCalls: maxCalls,
    logs: { bucket: BUCKET, prefix: ORG, accounts: [A, B], regions: ['us-east-1', 'eu-west-1'] },
  });

const windowOf = (input: { from: string; to: string; accounts?: string[]; regions?: string[] }) => {
  const resolved = resolveWindow(input, 366);
  if ('problem' in resolved) throw new Error(resolved.problem.detail);
  return resolved.window;
};
const requestFor = (window: TimeWindow) => ({ window }) as unknown as ExecutionRequest;

/** The expected answer, from the object list: the partitions' files, counted by hand. */
const expected = (accounts: string[], regions: string[], days: string[]) => {
  const counted = objects.filter((o) =>
    accounts.some((a) =>
      regions.some((r) =>
        days.some((d) => o.Key.startsWith(`${ORG}${a}/CloudTrail/${r}/${d}/`) && o.Key.endsWith('.json.gz')),
      ),
    ),
  );
  return { bytesScanned: counted.reduce((sum, o) => sum + o.Size, 0), files: counted.length };
};

describe('the Athena estimate from the trail bucket', () => {
  it('sums exactly the files of the window and the day of slack, in the projected accounts and regions', async () => {
    const window = windowOf({ from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' });
    const estimate = await engineFor().estimate(requestFor(window));
    const want = expected([A, B], ['us-east-1', 'eu-west-1'], ['2023/07/10', '2023/07/11']);
    expect(want.files).toBe(16);
    expect(estimate).toEqual({ ...want, days: { compacted: 0, raw: 8 } });
    // Every listing stays under the log prefix the IAM policy allows, in the bucket configured.
    for (const call of s3Mock.commandCalls(ListObjectsV2Command)) {
      expect(call.args[0].input.Bucket).toBe(BUCKET);
      expect(call.args[0].input.Prefix).toMatch(/^AWSLogs\//);
    }
  });

  it("narrows to the window's own accounts and regions, and across a month's end", async () => {
    const window = windowOf({
      from: '2023-06-30T12:00:00Z',
      to: '2023-07-10T00:00:00Z',
      accounts: [B],
      regions: ['eu-west-1'],
    });
    const estimate = await engineFor().estimate(requestFor(window));
    expect(estimate).toMatchObject(expected([B], ['eu-west-1'], ['2023/06/30', '2023/07/09', '2023/07/10']));
    // One account and region: listed from the first day, stopped past the last, not the whole prefix.
    const calls = s3Mock.commandCalls(ListObjectsV2Command);
    expect(calls[0]?.args[0].input).toMatchObject({
      Prefix: `${ORG}${B}/CloudTrail/eu-west-1/`,
      StartAfter: `${ORG}${B}/CloudTrail/eu-west-1/2023/06/30`,
    });
    expect(calls.length).toBeLessThanOrEqual(3);
  });

  it('counts nothing for a window without logs', async () => {
    const window = windowOf({ from: '2022-01-01T00:00:00Z', to: '2022-01-02T00:00:00Z' });
    expect(await engineFor().estimate(requestFor(window))).toEqual({
      bytesScanned: 0,
      files: 0,
      days: { compacted: 0, raw: 0 },
    });
  });

  it('refuses, with advice, a window it cannot list within its calls', async () => {
    const window = windowOf({ from: '2023-07-01T00:00:00Z', to: '2023-08-02T00:00:00Z' });
    await expect(engineFor(3).estimate(requestFor(window))).rejects.toThrow(EstimateUnavailableError);
    await expect(engineFor(3).estimate(requestFor(window))).rejects.toThrow(/narrow the window/);
  });

  it('retries a throttled listing and still counts each file once', async () => {
    let throttled = 0;
    s3Mock.on(ListObjectsV2Command).callsFake(async (input) => {
      if (throttled < 2) {
        throttled += 1;
        // S3 throttles with 503 SlowDown.
        throw Object.assign(new Error('Please reduce your request rate.'), {
          name: 'SlowDown',
          $metadata: { httpStatusCode: 503 },
        });
      }
      const after = input.ContinuationToken ?? input.StartAfter ?? '';
      const matching = objects.filter((o) => o.Key.startsWith(input.Prefix ?? '') && o.Key > after);
      return { Contents: matching, IsTruncated: false };
    });
    const window = windowOf({ from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' });
    expect(await engineFor().estimate(requestFor(window))).toMatchObject(
      expected([A, B], ['us-east-1', 'eu-west-1'], ['2023/07/10', '2023/07/11']),
    );
  });

  it('says so when the deployment does not say where its logs are', async () => {
    const engine = new AthenaEngine({
      athena: {} as never,
      s3,
      workGroup: 'w',
      database: 'd',
      catalog: 'c',
      retryBudgetMs: 100,
    });
    const window = windowOf({ from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' });
    await expect(engine.estimate(requestFor(window))).rejects.toThrow(/TRAILHOUND_LOG_BUCKET/);
  });
});
