import { describe, expect, it } from 'vitest';
import { loadAthenaConfig, loadConfig, loadServerConfig, SAMPLE_LOGS_DIR } from '../../src/lib/config.js';
import { ConfigurationError } from '../../src/lib/errors.js';

describe('configuration', () => {
  it('is the embedded engine over the sample when the local server gives no engine', () => {
    const config = loadConfig({}, { defaultEngine: 'duckdb' });
    expect(config).toMatchObject({
      TRAILHOUND_ENGINE: 'duckdb',
      TRAILHOUND_LOGS_DIR: SAMPLE_LOGS_DIR,
      TRAILHOUND_MAX_CONCURRENT: 2,
      TRAILHOUND_MAX_WINDOW_DAYS: 366,
    });
  });

  it('requires the engine to be named where there is no default (Lambda)', () => {
    expect(() => loadConfig({})).toThrow(ConfigurationError);
    expect(loadConfig({ TRAILHOUND_ENGINE: 'athena' }).TRAILHOUND_ENGINE).toBe('athena');
  });

  it("holds only the chosen engine's settings", () => {
    const athena = loadConfig({ TRAILHOUND_ENGINE: 'athena', TRAILHOUND_LOGS_DIR: '/logs' });
    expect(athena).toMatchObject({
      TRAILHOUND_ATHENA_WORKGROUP: 'trailhound',
      TRAILHOUND_AWS_RETRY_MS: 8000,
    });
    expect(athena).not.toHaveProperty('TRAILHOUND_LOGS_DIR');
    const duckdb = loadConfig({ TRAILHOUND_ENGINE: 'duckdb', TRAILHOUND_ATHENA_WORKGROUP: 'wg' });
    expect(duckdb).not.toHaveProperty('TRAILHOUND_ATHENA_WORKGROUP');
  });

  it('lists every bad variable in one error', () => {
    let message = '';
    try {
      loadConfig({
        TRAILHOUND_ENGINE: 'duckdb',
        TRAILHOUND_MAX_CONCURRENT: '0',
        TRAILHOUND_SIGNING_KEY: 'short',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/TRAILHOUND_MAX_CONCURRENT/);
    expect(message).toMatch(/TRAILHOUND_SIGNING_KEY/);
    expect(() => loadConfig({ TRAILHOUND_ENGINE: 'sqlite' })).toThrow(/TRAILHOUND_ENGINE/);
    expect(() => loadAthenaConfig({ TRAILHOUND_ATHENA_WORKGROUP: 'has space' })).toThrow(/WORKGROUP/);
  });

  it("keeps the local server's own settings apart", () => {
    expect(loadServerConfig({})).toEqual({ HOST: '127.0.0.1', PORT: 3000 });
    expect(() => loadServerConfig({ PORT: '70000' })).toThrow(/PORT/);
  });
});
