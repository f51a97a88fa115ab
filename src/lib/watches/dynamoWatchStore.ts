/**
 * Watches on AWS: one DynamoDB table (the template's WatchesTable, keys `pk` and `sk`).
 * - each watch is an item `pk = "watch"`, `sk = <watchId>` holding the record as JSON and a
 *   `version`; every change is a conditional put on the version it read (optimistic locking), so
 *   two functions changing one watch never lose a change, and a claim is won by one of them;
 * - the count of watches is an item `pk = "watch-count"` changed in the same transaction as the
 *   watch it counts, on the condition that it stays within TRAILHOUND_MAX_WATCHES;
 * - each delivered key is an item `pk = "delivered#<watchId>"`, `sk = <key>`, with `expiresAt`
 *   (epoch seconds), the table's TTL attribute: DynamoDB deletes it after `lookback` plus a day.
 *   TTL deletes within days, not at once, so an expired key still read is ignored.
 * Errors are the engine's (toEngineError): throttling retried then 503, a denied call 503 naming it.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { chunks } from '../chunks.js';
import { toEngineError } from '../engines/athena/athenaErrors.js';
import { EngineUnavailableError, WatchLimitError } from '../errors.js';
import type { WatchRecord, WatchStore } from './watchStore.js';

/** The table's shape, as the template must make it (a test compares them): keys, and the TTL attribute. */
export const WATCHES_TABLE_SHAPE = {
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
} as const;

const WATCH = 'watch';
const COUNT = { pk: 'watch-count', sk: 'count' };
const deliveredPk = (watchId: string) => `delivered#${watchId}`;
/** BatchGetItem takes 100 keys a call, BatchWriteItem 25 requests. */
const GET_BATCH = 100;
const WRITE_BATCH = 25;
/** Conditional puts that lost to another writer are tried again, this many times. */
const MAX_CONFLICTS = 8;

const cancelledBy = (error: unknown, index: number): boolean =>
  (error as { name?: string }).name === 'TransactionCanceledException' &&
  (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons?.[index]?.Code ===
    'ConditionalCheckFailed';

const conditionFailed = (error: unknown) =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

export class DynamoWatchStore implements WatchStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => number = Date.now,
  ) {}

  async #call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toEngineError(error, `DynamoDB ${operation}`, undefined, 'DynamoDB');
    }
  }

  /**
   * Writes `items` in one transaction (each with the table named). @returns false when the first
   * item's condition refused it, true when all were written.
   */
  async #transact(items: Record<string, Record<string, unknown>>[]): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: items.map((item) =>
            Object.fromEntries(
              Object.entries(item).map(([kind, input]) => [kind, { TableName: this.table, ...input }]),
            ),
          ),
        }),
      );
      return true;
    } catch (error) {
      if (cancelledBy(error, 0)) return false;
      throw toEngineError(error, 'DynamoDB TransactWriteItems', undefined, 'DynamoDB');
    }
  }

  async create(record: WatchRecord, maxWatches: number): Promise<void> {
    const counted = await this.#transact([
      {
        Update: {
          Key: COUNT,
          UpdateExpression: 'SET n = if_not_exists(n, :zero) + :one',
          ConditionExpression: 'attribute_not_exists(n) OR n < :max',
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':max': maxWatches },
        },
      },
      {
        Put: {
          Item: { pk: WATCH, sk: record.watchId, record: JSON.stringify(record), version: 1 },
          ConditionExpression: 'attribute_not_exists(sk)',
        },
      },
    ]);
    if (!counted) throw new WatchLimitError(maxWatches);
  }

  async #item(watchId: string): Promise<{ record: WatchRecord; version: number } | undefined> {
    const { Item } = await this.#call('GetItem', () =>
      this.client.send(
        new GetCommand({ TableName: this.table, Key: { pk: WATCH, sk: watchId }, ConsistentRead: true }),
      ),
    );
    if (!Item) return undefined;
    return { record: JSON.parse(String(Item.record)) as WatchRecord, version: Number(Item.version) };
  }

  async get(watchId: string): Promise<WatchRecord | undefined> {
    return (await this.#item(watchId))?.record;
  }

  async list(): Promise<WatchRecord[]> {
    const records: WatchRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#call('Query', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': WATCH },
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      for (const item of page.Items ?? []) records.push(JSON.parse(String(item.record)) as WatchRecord);
      start = page.LastEvaluatedKey;
    } while (start);
    return records.sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt) || a.watchId.localeCompare(b.watchId),
    );
  }

  async remove(watchId: string): Promise<boolean> {
    const removed = await this.#transact([
      { Delete: { Key: { pk: WATCH, sk: watchId }, ConditionExpression: 'attribute_exists(sk)' } },
      {
        Update: {
          Key: COUNT,
          UpdateExpression: 'SET n = n - :one',
          ConditionExpression: 'n > :zero',
          ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
        },
      },
    ]);
    if (!removed) return false;
    // Its keys go too (TTL would remove them, but a new watch must not inherit them).
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#call('Query', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': deliveredPk(watchId) },
            ProjectionExpression: 'pk, sk',
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      await this.#writeAll(
        (page.Items ?? []).map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } })),
      );
      start = page.LastEvaluatedKey;
    } while (start);
    return true;
  }

  async update(
    watchId: string,
    change: (record: WatchRecord) => WatchRecord | undefined,
  ): Promise<WatchRecord | undefined> {
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt += 1) {
      const item = await this.#item(watchId);
      const changed = item ? change(item.record) : undefined;
      if (!item || !changed) return undefined;
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.table,
            Item: { pk: WATCH, sk: watchId, record: JSON.stringify(changed), version: item.version + 1 },
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': item.version },
          }),
        );
        return changed;
      } catch (error) {
        // Another writer changed it (or deleted it) since it was read: read it again.
        if (!conditionFailed(error)) throw toEngineError(error, 'DynamoDB PutItem', undefined, 'DynamoDB');
      }
    }
    throw new EngineUnavailableError(
      `Watch ${watchId} is being changed by too many writers at once; try again`,
      {
        retryAfterSeconds: 1,
      },
    );
  }

  async delivered(watchId: string, keys: readonly string[]): Promise<ReadonlySet<string>> {
    const found = new Set<string>();
    const nowSeconds = Math.floor(this.now() / 1000);
    for (const part of chunks([...new Set(keys)], GET_BATCH)) {
      let wanted: Record<string, unknown>[] = part.map((key) => ({ pk: deliveredPk(watchId), sk: key }));
      for (let attempt = 0; wanted.length > 0; attempt += 1) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        const keysNow = wanted;
        const answer = await this.#call('BatchGetItem', () =>
          this.client.send(
            new BatchGetCommand({
              RequestItems: { [this.table]: { Keys: keysNow, ConsistentRead: true } },
            }),
          ),
        );
        for (const item of answer.Responses?.[this.table] ?? []) {
          if (Number(item.expiresAt) > nowSeconds) found.add(String(item.sk));
        }
        // DynamoDB may answer part of a batch (throughput): the rest is asked again.
        wanted = (answer.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return found;
  }

  async markDelivered(watchId: string, keys: readonly string[], expiresAt: number): Promise<void> {
    // Not for a watch deleted meanwhile: its keys went with it.
    if (!(await this.#item(watchId))) return;
    const expires = Math.ceil(expiresAt / 1000);
    await this.#writeAll(
      [...new Set(keys)].map((key) => ({
        PutRequest: { Item: { pk: deliveredPk(watchId), sk: key, expiresAt: expires } },
      })),
    );
  }

  /** BatchWriteItem in batches of 25, the unprocessed part of each sent again. */
  async #writeAll(requests: readonly Record<string, unknown>[]): Promise<void> {
    for (const part of chunks(requests, WRITE_BATCH)) {
      let pending: Record<string, unknown>[] = part;
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        const batch = pending;
        const answer = await this.#call('BatchWriteItem', () =>
          this.client.send(new BatchWriteCommand({ RequestItems: { [this.table]: batch as never } })),
        );
        pending = (answer.UnprocessedItems?.[this.table] as Record<string, unknown>[] | undefined) ?? [];
      }
    }
  }

  /** Nothing is held: the table is shared by every function. */
  async close(): Promise<void> {}
}
