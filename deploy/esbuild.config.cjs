// @ts-check
'use strict';
/**
 * The esbuild options of every Lambda bundle, in one place: serverless-esbuild loads this file
 * (serverless.yml's custom.esbuild.config) and `npm run build:lambdas` builds with the same
 * LAMBDA_ESBUILD_OPTIONS, so the bundles measured and tested are the bundles deployed.
 */

/** @satisfies {import('esbuild').BuildOptions} */
const LAMBDA_ESBUILD_OPTIONS = {
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
};

/** serverless-esbuild's options: the same build, plus how the plugin packages it. */
const serverlessEsbuildOptions = () => ({
  ...LAMBDA_ESBUILD_OPTIONS,
  outputFileExtension: '.mjs',
  // Excluded packages are external and left out of the zip as well.
  exclude: LAMBDA_ESBUILD_OPTIONS.external,
  packager: 'npm',
});

module.exports = Object.assign(serverlessEsbuildOptions, { LAMBDA_ESBUILD_OPTIONS });
