import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AthenaClient, GetQueryExecutionCommand } from '@aws-sdk/client-athena';
import { describe, expect, it, vi } from 'vitest';
import { AWS_CLIENT_SETTINGS, withThrottleRetry } from '../../../src/lib/aws/throttleRetry.js';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

describe('withThrottleRetry', () => {
  it('backs off with full jitter, doubling the cap each time', async () => {
    const sleeps: number[] = [];
    const call = vi
      .fn()
      .mockRejectedValueOnce(throttled())
      .mockRejectedValueOnce(throttled())
      .mockRejectedValueOnce(throttled())
      .mockResolvedValue('ok');
    const result = await withThrottleRetry(call, {
      budgetMs: 10_000,
      baseDelayMs: 100,
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    expect(result).toBe('ok');
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('gives up, with the throttling error, when the next wait would pass the budget', async () => {
    let now = 0;
    const call = vi.fn().mockRejectedValue(throttled());
    const error = await withThrottleRetry(call, {
      budgetMs: 1000,
      baseDelayMs: 400,
      random: () => 0.99,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('ThrottlingException');
    // Waited 396 ms after the first call; the second wait (792 ms) would end past 1,000 ms.
    expect(call).toHaveBeenCalledTimes(2);
    expect(now).toBe(396);
  });

  it('does not retry other errors', async () => {
    const call = vi.fn().mockRejectedValue(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    await expect(withThrottleRetry(call, { budgetMs: 1000 })).rejects.toThrow('no');
    expect(call).toHaveBeenCalledTimes(1);
  });
});

describe('AWS_CLIENT_SETTINGS', () => {
  it('has a real client retry a throttled call itself, in adaptive mode, before withThrottleRetry sees it', async () => {
    // Athena's JSON protocol: two throttling answers, then the execution.
    let requests = 0;
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        requests += 1;
        response.setHeader('content-type', 'application/x-amz-json-1.1');
        if (requests <= 2) {
          response.statusCode = 400;
          response.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
        } else {
          response.end(
            JSON.stringify({ QueryExecution: { QueryExecutionId: 'q-1', Status: { State: 'RUNNING' } } }),
          );
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new AthenaClient({
      ...AWS_CLIENT_SETTINGS,
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'us-east-1',
      credentials: {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
    });
    try {
      expect(client.config.retryMode).toBe('adaptive');
      const answer = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: 'q-1' }));
      expect(answer.QueryExecution?.Status?.State).toBe('RUNNING');
      expect(requests).toBe(3);
    } finally {
      client.destroy();
      server.close();
    }
  });
});
