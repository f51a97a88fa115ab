/**
 * The watches' DynamoDB store against moto_server's DynamoDB, with the real SDK client: the count
 * kept within the limit by a transaction, changes by conditional puts on a version (concurrent
 * writers none lost, a claim won once), delivered keys read back in batches past 100 and ignored
 * once their TTL attribute has passed, and a deleted watch's keys gone with it. Skipped, saying
 * so, where moto_server is absent.
 */
import { DescribeTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WatchLimitError } from '../../../src/lib/errors.js';
import { DynamoWatchStore } from '../../../src/lib/watches/dynamoWatchStore.js';
import {
  createWatchesTable,
  hasMoto,
  type Moto,
  motoDynamoClient,
  startMoto,
} from '../../helpers/motoServer.js';
import { watchIdOf, watchRecord } from '../../helpers/watchRecords.js';

const available = hasMoto();
const SKIP = 'moto_server is not on the PATH (pip install "moto[server]"): skipped';

let moto: Moto;
let dynamo: DynamoDBClient;
let documents: DynamoDBDocumentClient;
let tables = 0;

/** A table of its own. */
const newStore = async () => {
  tables += 1;
  const name = `trailhound-watches-${tables}`;
  await createWatchesTable(dynamo, name);
  return { name, store: new DynamoWatchStore(documents, name) };
};

const id = watchIdOf;

beforeAll(async () => {
  if (!available) return;
  moto = await startMoto();
  dynamo = motoDynamoClient(moto);
  documents = DynamoDBDocumentClient.from(dynamo);
});
afterAll(() => moto?.stop());

describe('the watches DynamoDB store (moto_server)', () => {
  it('keeps the number of watches within the limit, in the same transaction as the watch', async (context) => {
    if (!available) return context.skip(SKIP);
    const { store } = await newStore();
    await store.create(watchRecord(id(1), '2026-12-05T00:00:01.000Z'), 2);
    await store.create(watchRecord(id(2), '2026-12-05T00:00:02.000Z'), 2);
    await expect(store.create(watchRecord(id(3)), 2)).rejects.toBeInstanceOf(WatchLimitError);
    expect((await store.list()).map((r) => r.watchId)).toEqual([id(1), id(2)]);
    // Two made at once with one place left: one is refused.
    expect(await store.remove(id(2))).toBe(true);
    expect(await store.remove(id(2))).toBe(false);
    const both = await Promise.allSettled([
      store.create(watchRecord(id(4)), 2),
      store.create(watchRecord(id(5)), 2),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(both.find((r) => r.status === 'rejected')).toMatchObject({ reason: expect.any(WatchLimitError) });
    expect(await store.list()).toHaveLength(2);
    expect(await store.get(id(1))).toEqual(watchRecord(id(1), '2026-12-05T00:00:01.000Z'));
    expect(await store.get(id(9))).toBeUndefined();
  });

  it('applies concurrent changes by conditional puts: none lost, and a claim won once', async (context) => {
    if (!available) return context.skip(SKIP);
    const { store } = await newStore();
    await store.create(watchRecord(id(1)), 5);
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
    await store.create(watchRecord(id(1)), 5);
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
