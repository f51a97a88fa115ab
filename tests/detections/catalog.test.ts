/**
 * The detection catalog's promises, without an engine: enough detections, each with everything a
 * responder weighs a finding by, and GET /v1/detections listing them without their SQL.
 */
import { describe, expect, it } from 'vitest';
import { DETECTIONS, findDetection } from '../../src/detections/catalog.js';
import { DetectionSchema, isAggregate, PRINCIPAL_KINDS, SEVERITIES } from '../../src/detections/detection.js';
import { listDetections } from '../../src/handlers/listDetections.js';
import { httpHandler } from '../../src/lib/http/httpHandler.js';
import { lambdaContext, proxyEvent } from '../helpers/proxyEvents.js';

describe('the detection catalog', () => {
  it('holds at least 40 detections, uniquely named, most severe first, then by name', () => {
    expect(DETECTIONS.length).toBeGreaterThanOrEqual(40);
    const names = DETECTIONS.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    const order = DETECTIONS.map((d) => [-SEVERITIES.indexOf(d.severity), d.name] as const);
    expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])));
    for (const d of DETECTIONS) expect(findDetection(d.name)).toBe(d);
    expect(findDetection('no-such-detection')).toBeUndefined();
  });

  it.each(DETECTIONS.map((d) => [d.name, d]))(
    '%s: techniques, severity, description, benign causes and references',
    (_name, d) => {
      expect(DetectionSchema.parse(d)).toEqual(d);
      expect(d.techniques.length).toBeGreaterThan(0);
      for (const t of d.techniques) expect(t).toMatch(/^T\d{4}(\.\d{3})?$/);
      expect(d.description.length).toBeGreaterThanOrEqual(40);
      expect(d.benignCauses.length).toBeGreaterThan(0);
      expect(d.references.length).toBeGreaterThan(0);
      for (const r of d.references.filter((ref) => ref.kind === 'stratus'))
        expect(r.id).toMatch(/^aws\.[a-z-]+\.[a-z0-9-]+$/);
      // A detection names no account, address or resource of the data: it reasons about meaning
      // (a link-local service endpoint such as ECS's 169.254.170.2 is a meaning, not a value).
      expect(isAggregate(d) ? d.aggregate.condition : d.condition).not.toMatch(
        /\b\d{12}\b|\b(?!169\.254\.)\d{1,3}(\.\d{1,3}){3}\b|stratus-red-team|bert-jan/,
      );
    },
  );

  it('GET /v1/detections lists every detection with its metadata, never its SQL', async () => {
    const response = await httpHandler(listDetections)(
      proxyEvent({ httpMethod: 'GET', resource: '/v1/detections' }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body) as { detections: Record<string, unknown>[] };
    expect(body.detections.map((d) => d.name)).toEqual(DETECTIONS.map((d) => d.name));
    for (const listed of body.detections) {
      const detection = findDetection(String(listed.name));
      if (!detection) throw new Error(`${listed.name} is not in the catalog`);
      const { name, title, severity, techniques, description, benignCauses, references } = detection;
      expect(listed).toEqual({
        name,
        title,
        severity,
        techniques,
        description,
        benignCauses,
        references,
        principals: detection.principals ?? PRINCIPAL_KINDS,
        ...(isAggregate(detection)
          ? { kind: 'aggregate', threshold: detection.aggregate.threshold }
          : { kind: 'event' }),
      });
    }
    expect(response.body).not.toMatch(/json_extract_scalar|eventname/);
  });
});
