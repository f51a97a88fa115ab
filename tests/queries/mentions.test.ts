import { describe, expect, it } from 'vitest';
import { rawRecords } from '../helpers/cloudtrailData.js';
import { useQueryServer } from '../helpers/queryHarness.js';

const api = useQueryServer();
const window = ['2023-07-10T00:00:00Z', '2023-07-11T00:00:00Z'] as const;

describe('mentions on real records', () => {
  it('finds every event whose request parameters name malicious-iam-user', async () => {
    const expected = rawRecords('invictus-attack-simulation')
      .filter((r) => JSON.stringify(r.requestParameters ?? null).includes('malicious-iam-user'))
      .map((r) => r.eventID)
      .sort();
    expect(expected).toHaveLength(7);
    const rows = await api.run('mentions', { text: 'malicious-iam-user' }, ...window);
    expect(rows.map((r) => r.eventid).sort()).toEqual(expected);
  });

  it('is case-insensitive by default and exact with caseSensitive', async () => {
    const loose = await api.run('mentions', { text: 'MALICIOUS-IAM-USER' }, ...window);
    const exact = await api.run('mentions', { text: 'MALICIOUS-IAM-USER', caseSensitive: true }, ...window);
    expect(loose).toHaveLength(7);
    expect(exact).toHaveLength(0);
  });

  it('treats % and _ as plain characters, not LIKE wildcards', async () => {
    // 'stratus_red' would match 'stratus-red' under LIKE; literally it appears nowhere.
    const underscore = await api.run('mentions', { text: 'stratus_red' }, ...window);
    const percent = await api.run('mentions', { text: 'stratus%team' }, ...window);
    const dashes = await api.run('mentions', { text: 'stratus-red' }, ...window);
    expect(underscore).toEqual([]);
    expect(percent).toEqual([]);
    expect(dashes.length).toBeGreaterThan(10);
  });
});
