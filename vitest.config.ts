import { defineConfig } from 'vitest/config';

/**
 * Three projects, one command each: `unit` is the fast loop (no engine over real logs, no
 * packaging, about a minute on two cores), `queries` runs every catalog query on the real records, and
 * `integration` runs the contract suite on both engines, the packaged stack and the bundles.
 * `npm test` runs all three.
 */
export default defineConfig({
  test: {
    setupFiles: ['tests/setup.ts'],
    globalSetup: ['tests/globalTemp.ts'],
    // Handlers log JSON lines on every request; tests that read them turn the level back up.
    // The AWS SDK warns once per process, on Node 20, that its releases from January 2027 need
    // Node 22: true and already known (README, "Node versions"; CI runs the suite on Node 24), so
    // not printed in every test worker where a reader would have to learn to ignore it.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'tests/lib/**/*.test.ts',
            'tests/cli/**/*.test.ts',
            'tests/handlers/**/*.test.ts',
            'tests/lambda/**/*.test.ts',
            'tests/local/**/*.test.ts',
            'tests/docs/**/*.test.ts',
            'tests/deploy/deploySettings.test.ts',
            'tests/queries/executionPlan.test.ts',
            'tests/detections/catalog.test.ts',
          ],
          // The notify function's test checks its calls against the packaged stack's roles.
          // The README's answers are asked of the engine over the sample.
          exclude: [
            'tests/**/*.moto.test.ts',
            'tests/lambda/notifyExecution.test.ts',
            'tests/docs/readmeAnswers.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'queries',
          include: ['tests/queries/**/*.test.ts', 'tests/detections/**/*.test.ts'],
          exclude: ['tests/queries/executionPlan.test.ts', 'tests/detections/catalog.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [
            'tests/contract/**/*.test.ts',
            'tests/build/**/*.test.ts',
            'tests/deploy/template.test.ts',
            'tests/deploy/leastPrivilege.test.ts',
            'tests/lambda/notifyExecution.test.ts',
            'tests/**/*.moto.test.ts',
            'tests/process/**/*.test.ts',
            'tests/fuzz/**/*.test.ts',
            'tests/docs/readmeAnswers.test.ts',
          ],
        },
      },
    ],
  },
});
