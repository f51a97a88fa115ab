/**
 * `npm run backfill` as an operator meets it before any AWS call: what it refuses, with exit 2
 * and a message that says what to give (the compaction it runs is tested against the Athena
 * double in tests/contract/athenaCompaction.test.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNode } from '../helpers/runNode.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const backfill = (args: string[], env: Record<string, string> = {}) =>
  // No credentials and no endpoint that answers: nothing here may reach AWS.
  runNode(['--import', 'tsx', 'scripts/backfill.ts', ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
      ...env,
    },
  });

const DEPLOYMENT = {
  TRAILHOUND_ENGINE: 'athena',
  TRAILHOUND_ATHENA_WORKGROUP: 'trailhound-prod',
  TRAILHOUND_STORE_BUCKET: 'trailhound-prod-store',
  TRAILHOUND_ACCOUNTS: '111122223333',
  TRAILHOUND_REGIONS: 'us-east-1',
};

describe('npm run backfill', () => {
  it('refuses days that are not days, and a bad concurrency, saying how to call it', async () => {
    for (const [args, message] of [
      [['--from', '2024-1-1', '--to', '2024-01-31'], '--from takes a day of the calendar, YYYY-MM-DD'],
      [['--from', '2024-01-01'], '--to takes a day of the calendar, YYYY-MM-DD'],
      [
        ['--from', '2024-01-01', '--to', '2024-01-31', '--concurrency', '50'],
        '--concurrency takes a whole number from 1 to 20',
      ],
    ] as const) {
      const { code, stderr } = await backfill([...args], DEPLOYMENT);
      expect(code, stderr).toBe(2);
      expect(stderr).toContain(message);
      expect(stderr).toContain('usage: npm run backfill -- --from YYYY-MM-DD --to YYYY-MM-DD');
    }
  });

  it('refuses to run without the deployment it compacts for', async () => {
    const engine = await backfill(['--from', '2024-01-01', '--to', '2024-01-31']);
    expect(engine.code).toBe(2);
    expect(engine.stderr).toContain('TRAILHOUND_ENGINE=athena');
    const { TRAILHOUND_STORE_BUCKET: _bucket, ...noBucket } = DEPLOYMENT;
    const bucket = await backfill(['--from', '2024-01-01', '--to', '2024-01-31'], noBucket);
    expect(bucket.code).toBe(2);
    expect(bucket.stderr).toContain('TRAILHOUND_STORE_BUCKET is not set');
  });

  it('refuses a range that ends before it starts, and days not yet closed, before any AWS call', async () => {
    const backwards = await backfill(['--from', '2024-02-01', '--to', '2024-01-31'], DEPLOYMENT);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('--from is after --to');
    const future = await backfill(['--from', '2099-01-01', '--to', '2099-01-02'], DEPLOYMENT);
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/backfill refused: Day 2099\/01\/02 is not closed yet/);
  });
});
