// The impactmonitor command line (README "Command line"). Each command opens the configured
// database, does one thing and closes it; exit codes 0 / 1 (invalid input) / 2 (usage).

import { DataDirLockedError } from '../../foundation/db/data-dir-lock';
import { readConfig } from '../config';
import { commands } from './commands';
import { EXIT, HELP, InputError, UsageError } from './usage';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

/** Runs one command; resolves with the exit code (serve resolves only when the server stops). */
export async function runCli(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
): Promise<number> {
  const [first, ...rest] = argv;
  if (!first || first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(HELP);
    return first ? EXIT.ok : EXIT.usage;
  }
  const load = Object.hasOwn(commands, first) ? commands[first] : undefined;
  if (!load) {
    io.stderr.write(`Onbekende opdracht "${first}". Zie: npx impactmonitor --help\n`);
    return EXIT.usage;
  }
  try {
    const command = await load();
    return await command(rest, { config: readConfig(), io });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\nZie: npx impactmonitor --help\n`);
      return EXIT.usage;
    }
    if (error instanceof InputError) {
      io.stderr.write(`${error.message}\n${error.details.map((d) => `  ${d}\n`).join('')}`);
      return EXIT.invalid;
    }
    if (error instanceof DataDirLockedError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT.invalid;
    }
    io.stderr.write(`Onverwachte fout: ${(error as Error).message}\n`);
    return EXIT.invalid;
  }
}
