/** The README is part of the product: it must name every query and every public route the code has. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { QUERIES } from '../../src/queries/catalog.js';
import { API_ROUTES } from '../../src/routes.js';

const readme = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md'),
  'utf8',
);
const catalogTable = readme.slice(readme.indexOf('## Query catalog'), readme.indexOf('## API reference'));

describe('README', () => {
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
});
