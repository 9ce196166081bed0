/**
 * Entry of the `fl-security` command: dispatches subcommands. Exit codes:
 * 0 success, 1 failure (e.g. refusing to overwrite), 2 invalid input.
 */
import { Command, CommanderError } from 'commander';
import { registerGenerateCommand } from './generate';
import { registerCheckCommand } from './check';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_INVALID = 2;

export function createProgram(): Command {
  const program = new Command('fl-security')
    .description('Generate and check end-to-end encrypted federated learning deployments')
    .exitOverride()
    .configureOutput({ writeErr: text => process.stderr.write(text) });
  registerGenerateCommand(program);
  registerCheckCommand(program);
  return program;
}

/** Runs the CLI; resolves with the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  const previous = process.exitCode;
  // Subcommand actions report their result through process.exitCode.
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors are 2.
      return error.exitCode === 0 ? EXIT_OK : EXIT_INVALID;
    }
    throw error;
  } finally {
    process.exitCode = previous;
  }
}
