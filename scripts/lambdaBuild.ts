/**
 * The esbuild options of every Lambda bundle, shared by `npm run build:lambdas` and the
 * deployment (serverless-esbuild reads the same values from serverless.yml's custom.esbuild).
 */
import type { BuildOptions } from 'esbuild';

export const LAMBDA_ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  minify: true,
  sourcemap: false,
  // The embedded engine is a native module for the local server only; it must never be bundled.
  external: ['@duckdb/node-api'],
  // ESM bundles of CommonJS dependencies still call require() for Node built-ins.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  mainFields: ['module', 'main'],
  metafile: true,
  logLevel: 'warning',
} as const satisfies BuildOptions;
