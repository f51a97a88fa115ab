/** `trailhound queries`: the catalog, one query a line: its name and what it answers. */
import type { ApiClient } from '../apiClient.js';
import { type Terminal, writeTo } from '../output.js';

interface Catalog {
  readonly queries: readonly { readonly name: string; readonly title: string }[];
}

export const queries = async (api: ApiClient, terminal: Terminal): Promise<void> => {
  const { queries: catalog } = (await api.get<Catalog>('/v1/queries')).body;
  const width = Math.max(...catalog.map((q) => q.name.length));
  await writeTo(terminal.stdout, catalog.map((q) => `${q.name.padEnd(width)}  ${q.title}\n`).join(''));
};
