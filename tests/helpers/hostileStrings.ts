/** Strings that break naive SQL quoting, parsers or limits: each must be refused or matched literally. */
export const HOSTILE_STRINGS = [
  "'",
  "''",
  "x' OR '1'='1",
  "'; DROP TABLE cloudtrail_logs; --",
  '-- comment',
  '/* comment */',
  '\\',
  "\\'",
  "\\''; SELECT 1; --",
  '%_%',
  '"double" quotes',
  'ünïcödé ✓ 𝔘 日本語',
  '\u2019 right quote and \u02bc modifier letter',
  'line\nbreak\r\ttab',
  `${"'".repeat(1000)}`,
  'x'.repeat(100_000),
];
