/**
 * `npm run package`: the deployment, packaged offline. Regenerates what the template includes
 * from the code (the Glue columns, the functions), runs `serverless package` (osls) into a directory, then cfn-lint on the template when
 * cfn-lint is on the PATH. `--stage`, `--region` and `--param` go to serverless, e.g.
 *   npm run package -- --stage prod --param="organizationId=o-abcdef1234"
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommand } from '../src/lib/commandLine.js';
import { writeGenerated } from './generate.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const TEMPLATE = 'cloudformation-template-update-stack.json';

export const hasCfnLint = (): boolean =>
  spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).status === 0;

/** What `serverless package` reads: the service, its resources, the handlers and the manifest. */
const SERVICE_FILES = [
  'serverless.yml',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'deploy',
  'src',
];

/**
 * A copy of the service in a temporary directory, sharing node_modules. The framework empties
 * `<service>/.serverless` whenever it packages, wherever the package goes: packaging a copy leaves
 * the checkout's own `.serverless` (what `npm run package` made) alone.
 */
export const stageService = async (): Promise<string> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-service-'));
  for (const name of SERVICE_FILES)
    await cp(path.join(root, name), path.join(dir, name), { recursive: true });
  await symlink(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
};

/**
 * Packages the stack into `outDir` with the given serverless arguments, from `serviceDir` (the
 * checkout by default); throws with the output on failure.
 */
export const packageStack = (outDir: string, args: readonly string[] = [], serviceDir = root): void => {
  const result = spawnSync(
    path.join(root, 'node_modules/.bin/serverless'),
    ['package', '--package', outDir, ...args],
    {
      cwd: serviceDir,
      encoding: 'utf8',
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
    },
  );
  if (result.status !== 0) throw new Error(`serverless package failed:\n${result.stdout}\n${result.stderr}`);
};

/** cfn-lint's findings on a template, or undefined when cfn-lint is not installed. */
export const cfnLint = (templateFile: string): { ok: boolean; output: string } | undefined => {
  if (!hasCfnLint()) return undefined;
  const result = spawnSync('cfn-lint', ['--', templateFile], { cwd: root, encoding: 'utf8' });
  // cfn-lint's exit code is a bit field: 2 errors, 4 warnings, 8 informational.
  return { ok: ((result.status ?? 2) & 6) === 0, output: `${result.stdout}${result.stderr}` };
};

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { values } = parseCommand({
    usage: 'npm run package [-- --stage dev] [--region R] [--param "name=value" ...]',
    about: `
Packages the deployment offline into .serverless: regenerates deploy/generated from the code, runs
serverless package (osls), then cfn-lint on the template when cfn-lint is on the PATH.
  --stage S              the stage (default dev)
  --region R             the region (default us-east-1)
  --param "name=value"   a stack parameter (README, "Parameters"); give it once per parameter`,
    options: {
      stage: { type: 'string' },
      region: { type: 'string' },
      param: { type: 'string', multiple: true },
    },
  });
  const args = [
    ...(values.stage ? ['--stage', values.stage] : []),
    ...(values.region ? ['--region', values.region] : []),
    ...(values.param ?? []).map((param) => `--param=${param}`),
  ];
  await writeGenerated();
  const outDir = path.join(root, '.serverless');
  packageStack(outDir, args);
  console.log(`packaged into ${path.relative(root, outDir)}/`);
  const lint = cfnLint(path.join(outDir, TEMPLATE));
  if (!lint)
    console.log('cfn-lint is not on the PATH: template lint skipped (pip install cfn-lint to run it)');
  else if (!lint.ok) {
    console.error(lint.output);
    process.exit(1);
  } else console.log('cfn-lint: no errors or warnings');
}
