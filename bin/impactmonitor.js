#!/usr/bin/env node
// The CLI entry (`npx impactmonitor`, `npm start`): TypeScript runs through tsx, no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../server/cli/run.ts');
const code = await runCli(process.argv.slice(2));
if (code >= 0) process.exit(code);
