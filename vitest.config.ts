import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    // Handlers log JSON lines on every request; tests that read them turn the level back up.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
