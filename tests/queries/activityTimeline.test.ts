/** activity-timeline on real records, against answers read off the raw JSON. */
import { describe, expect, it } from 'vitest';
import { rawRecords } from '../helpers/cloudtrailData.js';
import { INVICTUS_DAY, useQueryServer } from '../helpers/queryHarness.js';

const api = useQueryServer();
const grycap2014 = ['2014-09-26T00:00:00Z', '2014-09-28T00:00:00Z'] as const;
const invictus = () => rawRecords('invictus-attack-simulation');
const _inGrycap2014 = () =>
  rawRecords('grycap-research-account').filter(
    (r) => r.eventTime >= grycap2014[0] && r.eventTime < grycap2014[1],
  );

describe('activity-timeline', () => {
  it('counts events and errors per hour and event name, exactly as the raw records add up', async () => {
    const expected = new Map<string, [number, number]>();
    for (const r of invictus().filter((x) => x.userIdentity.userName === 'bert-jan')) {
      const key = `${r.eventTime.slice(0, 13)}:00:00Z|${r.eventName}`;
      const [n, e] = expected.get(key) ?? [0, 0];
      expected.set(key, [n + 1, e + (r.errorCode ? 1 : 0)]);
    }
    const request = {
      query: 'activity-timeline',
      parameters: { principal: 'bert-jan' },
      from: INVICTUS_DAY[0],
      to: INVICTUS_DAY[1],
    };
    const rows = await api.run(request.query, request.parameters, ...INVICTUS_DAY);
    expect(new Map(rows.map((r) => [`${r.period}|${r.eventname}`, [r.events, r.errors]]))).toEqual(expected);
    const daily = await api.run('activity-timeline', { granularity: 'day' }, ...INVICTUS_DAY);
    expect(daily.reduce((sum, r) => sum + (r.events as number), 0)).toBe(invictus().length);
    expect(new Set(daily.map((r) => r.period))).toEqual(new Set(['2023-07-10T00:00:00Z']));
  });
});
