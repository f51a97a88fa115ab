/** `trailhound queries`: the catalog, one query a line: its name and what it answers. */
import { CatalogAnswer } from '../answers.js';
import type { ApiClient } from '../apiClient.js';
import { type Terminal, writeTo } from '../output.js';

export const queries = async (api: ApiClient, terminal: Terminal): Promise<void> => {
  const { queries: catalog } = (await api.get('/v1/queries', CatalogAnswer)).body;
  const width = Math.max(...catalog.map((q) => q.name.length));
  await writeTo(terminal.stdout, catalog.map((q) => `${q.name.padEnd(width)}  ${q.title}\n`).join(''));
};
