/**
 * The README is part of the product: it must name every query, every public route, every
 * configuration variable and every deployment parameter the code has, and nothing it lacks.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import parameters from '../../deploy/parameters.cjs';
import { AthenaConfigSchema, DuckDbConfigSchema, ServerConfigSchema } from '../../src/lib/config.js';
import { PROBLEM_KINDS, verdictOf } from '../../src/lib/integrity/integrityReport.js';
import { QUERIES } from '../../src/queries/catalog.js';
import { API_ROUTES } from '../../src/routes.js';

const readme = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md'),
  'utf8',
);
const section = (from: string, to: string) => readme.slice(readme.indexOf(from), readme.indexOf(to));
const catalogTable = section('## Query catalog', '## API reference');

describe('README', () => {
  it('explains every kind of integrity problem, with the verdict it makes, and no other', () => {
    const table = section('The kinds\nof problem', '`summary.digestFiles.unsigned`');
    const rows = table.split('\n').filter((line) => /^\| `[a-z-]+` \|/.test(line));
    expect(rows.map((row) => /^\| `([a-z-]+)`/.exec(row)?.[1])).toEqual([...PROBLEM_KINDS]);
    for (const row of rows) {
      const [kind, verdict] = row.split(' | ').map((cell) => cell.replace(/^\| /, '').replaceAll('`', ''));
      expect(verdict, kind).toBe(
        verdictOf([{ kind: kind as (typeof PROBLEM_KINDS)[number], path: '', detail: '' }]),
      );
    }
  });

  it.each(QUERIES.map((q) => [q.name, q]))(
    'has %s in the query catalog table, with each parameter',
    (name, query) => {
      const row = catalogTable.split('\n').find((line) => line.startsWith(`| \`${name}\``));
      expect(row, `a catalog row for ${name}`).toBeDefined();
      const properties = Object.keys(
        (query.parameters as unknown as { shape: Record<string, unknown> }).shape,
      );
      if (properties.length === 0) expect(row).toMatch(/\| none \|$/);
      for (const parameter of properties) expect(row).toContain(`\`${parameter}\``);
    },
  );

  it.each(API_ROUTES.map((r) => [`${r.method} ${r.resource}`]))('documents %s', (route) => {
    const documented = route.replace('{executionId}', '{id}');
    expect(readme).toContain(`\`${documented}`);
  });

  it('lists every configuration variable in a table, and no variable the code does not read', () => {
    const inCode = new Set(
      [DuckDbConfigSchema, AthenaConfigSchema, ServerConfigSchema].flatMap((schema) =>
        Object.keys(schema.shape),
      ),
    );
    const inTables = new Set(
      [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)`(?:, `([A-Z][A-Z0-9_]+)`)? \|/gm)].flatMap((m) =>
        [m[1], m[2]].filter((v): v is string => v !== undefined),
      ),
    );
    expect([...inTables].sort()).toEqual([...inCode].sort());
  });

  it('has the deployment parameter table exactly as deploy/parameters.cjs lists them', () => {
    const table = section('| parameter | default | meaning |', 'Outputs: `ApiUrl`')
      .trim()
      .split('\n')
      .slice(2);
    expect(table).toEqual(
      Object.entries(parameters.PARAMETERS).map(([name, parameter]) => parameters.readmeRow(name, parameter)),
    );
  });
});
