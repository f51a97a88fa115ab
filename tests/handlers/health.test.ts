/** GET /health: up, and which engine answers, from the configuration; the engine is not called. */
import { describe, expect, it } from 'vitest';
import { health } from '../../src/handlers/health.js';
import { loadAthenaConfig, loadDuckDbConfig } from '../../src/lib/config.js';
import { callRoute, recordingEngine } from '../helpers/routeHarness.js';

describe('GET /health', () => {
  it('answers ok with the engine of the configuration, without asking the engine anything', async () => {
    for (const [config, engineName] of [
      [loadAthenaConfig({}), 'athena'],
      [loadDuckDbConfig({}), 'duckdb'],
    ] as const) {
      const { engine, calls } = recordingEngine({});
      const answer = await callRoute(health, {}, { config, engine });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ status: 'ok', engine: engineName });
      expect(calls).toEqual([]);
    }
  });
});
