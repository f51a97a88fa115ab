/** GET /v1/detections: every detection of the sweep, described (its kind; an aggregate's threshold), without its SQL. */
import { describe, expect, it } from 'vitest';
import { DETECTIONS } from '../../src/detections/catalog.js';
import { listDetections } from '../../src/handlers/listDetections.js';
import { callRoute } from '../helpers/routeHarness.js';

describe('GET /v1/detections', () => {
  it('lists every detection in the catalog order, with its severity, techniques and references, and no SQL', async () => {
    const answer = await callRoute(listDetections);
    expect(answer.status).toBe(200);
    const detections = answer.body.detections as Record<string, unknown>[];
    expect(detections.map((d) => d.name)).toEqual(DETECTIONS.map((d) => d.name));
    for (const [i, d] of detections.entries()) {
      expect(d.severity, String(d.name)).toBe(DETECTIONS[i]?.severity);
      // An aggregate detection shows its threshold besides.
      const aggregate = d.kind === 'aggregate';
      expect(d.kind, String(d.name)).toBe(aggregate ? 'aggregate' : 'event');
      expect(Object.keys(d).sort(), String(d.name)).toEqual([
        'benignCauses',
        'description',
        'kind',
        'name',
        'principals',
        'references',
        'severity',
        'techniques',
        ...(aggregate ? ['threshold'] : []),
        'title',
      ]);
    }
  });
});
