/** Zod issues as RFC 9457 field problems: one JSON pointer into the request per invalid field. */
import type { z } from 'zod';
import type { FieldProblem } from './httpErrors.js';

const escapePointerToken = (token: PropertyKey): string =>
  String(token).replaceAll('~', '~0').replaceAll('/', '~1');

export const issuesToProblems = (issues: readonly z.core.$ZodIssue[], prefix = '#'): FieldProblem[] =>
  issues.map((issue) => ({
    pointer: [prefix, ...issue.path.map(escapePointerToken)].join('/'),
    detail: issue.message,
  }));
