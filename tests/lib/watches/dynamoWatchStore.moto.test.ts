/**
 * The watches' DynamoDB store against moto_server's DynamoDB, with the real SDK client: the count
 * kept within the limit by a transaction, changes by conditional puts on a version (concurrent
 * writers none lost, a claim won once), delivered keys read back in batches past 100 and ignored
 * once their TTL attribute has passed, and a deleted watch's keys gone with it. Skipped, saying
 * so, where moto_server is absent.
 */
import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WatchLimitError } from '../../../src/lib/errors.js';
import { DynamoWatchStore, WATCHES_TABLE_SHAPE } from '../../../src/lib/watches/dynamoWatchStore.js';
import type { WatchRecord } from '../../../src/lib/watches/watchStore.js';
import { hasMoto, type Moto, startMoto } from '../../helpers/motoServer.js';

const available = hasMoto();
const SKIP = 'moto_server is not on the PATH (pip install "moto[server]"): skipped';

let moto: Moto;
let dynamo: DynamoDBClient;
let documents: DynamoDBDocumentClient;
let tables = 0;

/** A table of its own, of the shape the store declares (the template's, a deploy test checks). */
const newStore = async () => {
  tables += 1;
  const name = `trailhound-watches-${tables}`;
  const { AttributeDefinitions, KeySchema, TimeToLiveSpecification } = WATCHES_TABLE_SHAPE;
  await dynamo.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...AttributeDefinitions],
      KeySchema: [...KeySchema],
    }),
  );
  await dynamo.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification }));
  return { name, store: new DynamoWatchStore(documents, name) };
};

const record = (watchId: string, createdAt = '2026-12-05T00:00:00.000Z'): WatchRecord => ({
  watchId,
  createdAt,
  definition: {
    query: 'sweep',
    parameters: {},
    every: 'PT15M',
    lookback: 'PT45M',
    notify: { url: 'https://hooks.example.com/x', format: 'trailhound' },
  },
  nextRunAt: createdAt,
  totals: { runs: 0, failedRuns: 0, findingsDelivered: 0 },
  pending: [],
});
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

beforeAll(async () => {
  if (!available) return;
  moto = await startMoto();
  dynamo = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    },
  });
  documents = DynamoDBDocumentClient.from(dynamo);
});
afterAll(() => moto?.stop());

describe('the watches DynamoDB store (moto_server)', () => {
  it('keeps the number of watches within the limit, in the same transaction as the watch', async (context) => {
    if (!available) return context.skip(SKIP);
    const { store } = await newStore();
    await store.create(record(id(1), '2026-12-05T00:00:01.000Z'), 2);
    await store.create(record(id(2), '2026-12-05T00:00:02.000Z'), 2);
    await expect(store.create(record(id(3)), 2)).rejects.toBeInstanceOf(WatchLimitError);
    expect((await store.list()).map((r) => r.watchId)).toEqual([id(1), id(2)]);
    // Two made at once with one place left: one is refused.
    expect(await store.remove(id(2))).toBe(true);
    expect(await store.remove(id(2))).toBe(false);
    const both = await Promise.allSettled([store.create(record(id(4)), 2), store.create(record(id(5)), 2)]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(both.find((r) => r.status === 'rejected')).toMatchObject({ reason: expect.any(WatchLimitError) });
    expect(await store.list()).toHaveLength(2);
    expect(await store.get(id(1))).toEqual(record(id(1), '2026-12-05T00:00:01.000Z'));
    expect(await store.get(id(9))).toBeUndefined();
  });

  it('applies concurrent changes by conditional puts: none lost, and a claim won once', async (context) => {
    if (!available) return context.skip(SKIP);
    const { store } = await newStore();
    await store.create(record(id(1)), 5);
    await Promise.all(
      Array.from({ length: 4 }, () =>
        store.update(id(1), (r) => ({ ...r, totals: { ...r.totals, runs: r.totals.runs + 1 } })),
      ),
    );
    expect((await store.get(id(1)))?.totals.runs).toBe(4);
    const claims = await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        store.update(id(1), (r) =>
          r.running
            ? undefined
            : { ...r, running: { since: `2026-12-05T00:0${i}:00.000Z`, trigger: 'schedule' } },
        ),
      ),
    );
    expect(claims.filter((c) => c !== undefined)).toHaveLength(1);
    expect(await store.update(id(9), (r) => r)).toBeUndefined();
  });

  it('knows delivered keys past a batch of 100 until their expiry, and forgets them with the watch', async (context) => {
    if (!available) return context.skip(SKIP);
    const { name, store } = await newStore();
    await store.create(record(id(1)), 5);
    const keys = Array.from({ length: 250 }, (_, i) => `sweep-detection:event-${i}`);
    await store.markDelivered(id(1), keys, Date.now() + 3_600_000);
    await store.markDelivered(id(1), ['expired'], Date.now() - 1000);
    const asked = [...keys, 'expired', 'never'];
    expect([...(await store.delivered(id(1), asked))].sort()).toEqual([...keys].sort());
    // A watch deleted: its keys are deleted too, and a watch of the same id does not inherit them.
    expect(await store.remove(id(1))).toBe(true);
    const left = await documents.send(
      new QueryCommand({
        TableName: name,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `delivered#${id(1)}` },
      }),
    );
    expect(left.Items).toEqual([]);
    await store.markDelivered(id(1), ['late'], Date.now() + 3_600_000);
    expect([...(await store.delivered(id(1), ['late']))]).toEqual([]);
    const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: 'expiresAt',
      TimeToLiveStatus: 'ENABLED',
    });
  });
});
