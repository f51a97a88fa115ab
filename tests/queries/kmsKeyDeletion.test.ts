/**
 * kms-key-deletion on real records (or, where no real set has an example, on the records written
 * from AWS's published examples), against answers read off the raw JSON.
 */
import { describe, expect, it } from 'vitest';
import { DOC_EXAMPLES_DAY, INVICTUS_DAY, useQueryServer } from '../helpers/queryHarness.js';

const api = useQueryServer();

describe('kms-key-deletion (records written from AWS examples)', () => {
  it('lists the key disabled and then scheduled for deletion, with its waiting period', async () => {
    const rows = await api.run('kms-key-deletion', {}, ...DOC_EXAMPLES_DAY);
    expect(
      rows.map((r) => [r.eventname, r.principal, r.key_id, r.pending_window_days, r.deletion_date]),
    ).toEqual([
      ['DisableKey', 'admin.jones', '1234abcd-12ab-34cd-56ef-1234567890ab', null, null],
      [
        'ScheduleKeyDeletion',
        'admin.jones',
        'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        7,
        'Mar 12, 2024, 10:03:40 AM',
      ],
    ]);
  });

  it('finds nothing in a real set that holds none', async () => {
    expect(await api.run('kms-key-deletion', {}, ...INVICTUS_DAY)).toEqual([]);
  });
});
