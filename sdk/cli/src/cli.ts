#!/usr/bin/env node
import * as sdk from '@leoma/sdk';
import { runCli } from './run.js';

process.exitCode = await runCli(
  process.argv.slice(2),
  process.env,
  { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) },
  sdk,
);
