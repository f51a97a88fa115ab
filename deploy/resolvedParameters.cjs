// @ts-check
'use strict';
/**
 * Every parameter of deploy/parameters.cjs as the framework resolved it (defaults, stage values,
 * --param), for the stack plugin: serverless.yml sets `custom.parameters` to this file, and osls
 * calls the function with its variable resolver.
 */
const { PARAMETERS } = require('./parameters.cjs');

/** @param {{ resolveVariable: (variable: string) => Promise<unknown> }} framework */
module.exports = async ({ resolveVariable }) =>
  Object.fromEntries(
    await Promise.all(
      Object.keys(PARAMETERS).map(async (name) => [
        name,
        String((await resolveVariable(`param:${name}`)) ?? ''),
      ]),
    ),
  );
