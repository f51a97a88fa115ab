/**
 * Writes the files serverless.yml includes that are made from the code, so that nothing is
 * declared twice: deploy/generated/glue-table.json (the Glue table's columns and partition keys,
 * from src/lib/schema/cloudtrailTable.ts) and deploy/generated/functions.json (the Lambda
 * functions and each route's method and path, from the route table). A test fails when a file
 * and the code disagree; `npm run package` regenerates both. Usage: npm run generate
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { functionsDocument as functionsOfRoutes } from '../src/lambda/functions.js';
import { parseCommand } from '../src/lib/commandLine.js';
import { glueColumns, gluePartitionKeys } from '../src/lib/schema/glueTable.js';

const generatedDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../deploy/generated');

export const GLUE_TABLE_FILE = path.join(generatedDir, 'glue-table.json');
export const FUNCTIONS_FILE = path.join(generatedDir, 'functions.json');

const jsonText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export const glueTableDocument = () =>
  jsonText({ Columns: glueColumns(), PartitionKeys: gluePartitionKeys() });

export const functionsDocument = () => jsonText(functionsOfRoutes());

/** Writes every generated file; returns their paths. */
export const writeGenerated = async (): Promise<string[]> => {
  await mkdir(generatedDir, { recursive: true });
  await writeFile(GLUE_TABLE_FILE, glueTableDocument());
  await writeFile(FUNCTIONS_FILE, functionsDocument());
  return [GLUE_TABLE_FILE, FUNCTIONS_FILE];
};

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  parseCommand({
    usage: 'npm run generate',
    about: `
Writes the files serverless.yml includes that are made from the code: deploy/generated/glue-table.json
(the Glue table's columns, from the schema) and deploy/generated/functions.json (the functions and
their routes). npm run package runs it first; a test fails when a file and the code disagree.`,
    options: {},
  });
  for (const file of await writeGenerated()) console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
