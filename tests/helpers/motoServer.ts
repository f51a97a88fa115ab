/**
 * moto_server, a local implementation of AWS APIs, started on a free loopback port for tests
 * that want a real S3 endpoint. Absent on a machine without it: callers skip, saying so.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { WATCHES_TABLE_SHAPE } from '../../src/lib/watches/dynamoWatchStore.js';

export const hasMoto = (): boolean => spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status === 0;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

export interface Moto {
  readonly endpoint: string;
  stop(): void;
}

export const startMoto = async (): Promise<Moto> => {
  const port = await freePort();
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
  });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i += 1) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      return { endpoint, stop: () => child.kill() };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill();
  throw new Error('moto_server did not start within 10 s');
};

/** The real S3 client, pointed at moto (path-style, moto's documented example credentials). */
export const motoS3Client = (moto: Moto): S3Client =>
  new S3Client({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    forcePathStyle: true,
    credentials: {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    },
  });

/** The real DynamoDB client, pointed at moto (its documented example credentials). */
export const motoDynamoClient = (moto: Moto): DynamoDBClient =>
  new DynamoDBClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    },
  });

/** A watches table named `name`, of the shape the store declares (a deploy test holds the template to it). */
export const createWatchesTable = async (dynamo: DynamoDBClient, name: string): Promise<void> => {
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
};
