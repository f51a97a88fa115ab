/**
 * The scan bench's generator reads the bundled sets' log files, and only those: the sets also carry
 * their digest files (CloudTrail-Digest/), which have no Records and once stopped the generator.
 */
import { describe, expect, it } from 'vitest';
import { loadSourceRecords } from '../../../bench/scan/generator/sourceRecords.js';
import { allRawRecords } from '../../helpers/cloudtrailData.js';

describe("the scan bench's source records", () => {
  it('are every record of the four sets, read from their log files and not their digests', () => {
    const loaded = loadSourceRecords();
    expect(loaded.length).toBe(allRawRecords().length);
    expect(new Set(loaded.map((r) => r.set))).toEqual(
      new Set([
        'grycap-research-account',
        'invictus-attack-simulation',
        'otrf-cloudgoat-partial',
        'stratus-detonations-pseudonymized',
      ]),
    );
    expect(loaded.every((r) => typeof r.record.eventID === 'string')).toBe(true);
  });
});
