#!/usr/bin/env node
// The `trailhound` command: registers tsx (as `npm start` does with `node --import tsx`) and runs
// the TypeScript entry, so that a fresh clone needs `npm install` and no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
