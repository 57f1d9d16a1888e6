#!/usr/bin/env node
import { CommanderError } from 'commander';
import { buildProgram } from './commands.js';
import { ApiError } from './api-client.js';
import type { Io } from './output.js';

/** Runs one command line; returns the exit status so tests can drive it in-process. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  try {
    await buildProgram(io, env).parseAsync(args, { from: 'user' });
    return 0;
  } catch (e) {
    // Commander has already printed usage problems and help.
    if (e instanceof CommanderError) return e.exitCode;
    io.err(`leoma: ${(e as Error).message}`);
    return e instanceof ApiError && e.status === 0 ? 78 : 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/leoma')) {
  const io: Io = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };
  process.exitCode = await runCli(process.argv.slice(2), process.env, io);
}
