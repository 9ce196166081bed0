/**
 * `fl-security generate --spec <file> --out <dir>`: validates the spec and
 * writes the secured FL project. On an invalid spec it prints one line per
 * problem, exits 2 and writes nothing.
 */
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import {
  generateFromInput,
  MAX_SPEC_BYTES,
  parseSpecText,
  WriteConflictError,
  writeGeneratedFiles,
} from '../generator';

export interface GenerateCommandOptions {
  spec: string;
  out: string;
  overwrite?: boolean;
  dryRun?: boolean;
}

export interface CliOutput {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

const processOutput: CliOutput = {
  stdout: line => process.stdout.write(`${line}\n`),
  stderr: line => process.stderr.write(`${line}\n`),
};

async function readSpec(path: string): Promise<string> {
  const buffer = await readFile(path);
  if (buffer.length > MAX_SPEC_BYTES) {
    throw new Error(`spec file is larger than ${MAX_SPEC_BYTES} bytes`);
  }
  return buffer.toString('utf8');
}

/** Runs the command; resolves with the exit code (0, 1 or 2). */
export async function runGenerate(
  options: GenerateCommandOptions,
  output: CliOutput = processOutput,
): Promise<number> {
  let text: string;
  try {
    text = await readSpec(options.spec);
  } catch (error) {
    output.stderr(`fl-security generate: cannot read spec ${options.spec}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return 2;
  }
  const parsed = parseSpecText(text);
  const result = parsed.ok ? generateFromInput(parsed.value) : parsed;
  if (!result.ok) {
    for (const problem of result.errors) output.stderr(`invalid spec: ${problem}`);
    return 2;
  }
  try {
    const plan = await writeGeneratedFiles(options.out, result.files, {
      overwrite: options.overwrite,
      dryRun: options.dryRun,
    });
    const verb = options.dryRun ? 'would write' : 'wrote';
    output.stdout(
      `${verb} ${plan.created.length + plan.changed.length} file(s) to ${options.out} ` +
        `(${plan.unchanged.length} unchanged) for federation ${result.spec.name}`,
    );
    return 0;
  } catch (error) {
    const message = error instanceof WriteConflictError ? `${error.message} (use --overwrite)` : (error as Error).message;
    output.stderr(`fl-security generate: ${message}`);
    return 1;
  }
}

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('Generate the Kubernetes deployment of a secured FL federation from a spec')
    .requiredOption('--spec <file>', 'federation spec (YAML), e.g. examples/federation.yaml')
    .requiredOption('--out <dir>', 'directory to write the project into')
    .option('--overwrite', 'replace existing files whose content differs', false)
    .option('--dry-run', 'validate and report what would be written; write nothing', false)
    .action(async (options: GenerateCommandOptions) => {
      process.exitCode = await runGenerate(options);
    });
}
