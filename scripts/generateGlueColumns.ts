/**
 * Writes deploy/generated/glue-table.json, the Glue table's columns and partition keys that
 * serverless.yml includes, from src/lib/schema/cloudtrailTable.ts. A test fails when the file
 * and the schema disagree. Usage: npm run generate
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { glueColumns, gluePartitionKeys } from '../src/lib/schema/glueTable.js';

export const GLUE_TABLE_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../deploy/generated/glue-table.json',
);

export const glueTableDocument = () =>
  `${JSON.stringify({ Columns: glueColumns(), PartitionKeys: gluePartitionKeys() }, null, 2)}\n`;

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await mkdir(path.dirname(GLUE_TABLE_FILE), { recursive: true });
  await writeFile(GLUE_TABLE_FILE, glueTableDocument());
  console.log(`wrote ${path.relative(process.cwd(), GLUE_TABLE_FILE)}`);
}
