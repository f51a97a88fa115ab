/** An execution id as a person types it: whole, or a unique prefix of 8 characters or more. */
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/cli/apiClient.js';
import { ApiRefusedError, UsageError } from '../../src/cli/errors.js';
import { resolveExecutionId } from '../../src/cli/executionIds.js';

const IDS = [
  '5dd2becb-5b63-4b5e-a3f2-3a7a9c1e0f11',
  '5dd2becb-9999-4b5e-a3f2-3a7a9c1e0f12',
  '7a1c0e3d-0000-4000-8000-000000000001',
  ...Array.from({ length: 250 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`),
  '9f9f9f9f-0000-4000-8000-000000000009',
];

/** A listing of IDS, 100 a page, as GET /v1/executions pages it; counts the pages read. */
const listing = () => {
  const asked: string[] = [];
  const api = {
    get: async (path: string) => {
      asked.push(path);
      const query = new URLSearchParams(path.split('?')[1]);
      const from = Number(query.get('nextToken') ?? 0);
      const page = IDS.slice(from, from + Number(query.get('limit')));
      const next = from + page.length;
      return {
        status: 200,
        headers: new Headers(),
        body: {
          executions: page.map((executionId) => ({ executionId })),
          ...(next < IDS.length ? { nextToken: String(next) } : {}),
        },
      };
    },
  } as unknown as ApiClient;
  return { api, asked };
};

describe('resolveExecutionId', () => {
  it('takes a whole id as it is, without asking', async () => {
    const { api, asked } = listing();
    expect(await resolveExecutionId(api, '7a1c0e3d-0000-4000-8000-000000000001', 'status')).toBe(
      '7a1c0e3d-0000-4000-8000-000000000001',
    );
    expect(asked).toEqual([]);
  });

  it('finds the one execution whose id starts with a prefix of 8 or more, on any page', async () => {
    expect(await resolveExecutionId(listing().api, '7a1c0e3d', 'status')).toBe(
      '7a1c0e3d-0000-4000-8000-000000000001',
    );
    expect(await resolveExecutionId(listing().api, '5dd2becb-5b', 'status')).toBe(
      '5dd2becb-5b63-4b5e-a3f2-3a7a9c1e0f11',
    );
    // On the third page of the listing.
    const { api, asked } = listing();
    expect(await resolveExecutionId(api, '9f9f9f9f', 'csv')).toBe('9f9f9f9f-0000-4000-8000-000000000009');
    expect(asked).toHaveLength(3);
  });

  it('says when a prefix is ambiguous, naming the ids, and when it matches none', async () => {
    await expect(resolveExecutionId(listing().api, '5dd2becb', 'status')).rejects.toThrow(
      /5dd2becb is the start of 2 executions' ids \(5dd2becb-5b63-.*, 5dd2becb-9999-.*\): give more of it/,
    );
    await expect(resolveExecutionId(listing().api, '5dd2becb', 'status')).rejects.toBeInstanceOf(UsageError);
    await expect(resolveExecutionId(listing().api, 'abcdef12', 'status')).rejects.toBeInstanceOf(
      ApiRefusedError,
    );
  });

  it('refuses fewer than 8 characters, or what no id could start with', async () => {
    for (const typed of ['5dd2bec', 'not-an-id', '5dd2becb/../x']) {
      await expect(resolveExecutionId(listing().api, typed, 'status'), typed).rejects.toBeInstanceOf(
        UsageError,
      );
    }
  });
});
