#!/usr/bin/env node
/**
 * The `trailhound` command (bin/trailhound.mjs loads it through tsx): runs the command line on
 * this process's arguments and streams, and exits with its code. `trailhound --help` says more.
 */
import { runCli } from './cli.js';

// Output piped into a reader that stops early (`| head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
