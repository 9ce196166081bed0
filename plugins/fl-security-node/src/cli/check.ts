/**
 * `fl-security check <file-or-dir>...`: evaluates manifests offline with the
 * compliance engine. Exit 0 when no result fails, 1 when one does, 2 on
 * unreadable input or bad usage (one clear line, no stack trace).
 */
import { Command, Option } from 'commander';
import { DEFAULT_THRESHOLDS, Thresholds, evaluateFederations } from '../engine';
import {
  OUTPUT_FORMATS,
  OutputFormat,
  formatJson,
  formatSarif,
  formatText,
} from './formatReport';
import { ManifestError, loadManifests } from './loadManifests';

export interface CheckOptions {
  format?: string;
  now?: string;
  expiryWarnDays?: string;
  expiryFailDays?: string;
}

export interface CheckOutput {
  stdout: (text: string) => void;
  stderr: (line: string) => void;
}

const processOutput: CheckOutput = {
  stdout: text => process.stdout.write(text),
  stderr: line => process.stderr.write(`${line}\n`),
};

const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

class UsageError extends Error {}

function parseNow(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const date = new Date(text);
  if (!ISO_8601.test(text) || Number.isNaN(date.getTime())) {
    throw new UsageError(
      `--now must be an ISO-8601 date or date-time, got ${JSON.stringify(
        text,
      )}`,
    );
  }
  return date;
}

function parseDays(
  text: string | undefined,
  flag: string,
  fallback: number,
): number {
  if (text === undefined) return fallback;
  if (!/^\d{1,5}$/.test(text))
    throw new UsageError(
      `${flag} must be a whole number of days, got ${JSON.stringify(text)}`,
    );
  return Number(text);
}

function parseOptions(options: CheckOptions): {
  format: OutputFormat;
  now: Date;
  thresholds: Thresholds;
} {
  const format = (options.format ?? 'text') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) {
    throw new UsageError(
      `--format must be one of ${OUTPUT_FORMATS.join(
        ', ',
      )}, got ${JSON.stringify(options.format)}`,
    );
  }
  const thresholds = {
    expiryWarnDays: parseDays(
      options.expiryWarnDays,
      '--expiry-warn-days',
      DEFAULT_THRESHOLDS.expiryWarnDays,
    ),
    expiryFailDays: parseDays(
      options.expiryFailDays,
      '--expiry-fail-days',
      DEFAULT_THRESHOLDS.expiryFailDays,
    ),
  };
  if (thresholds.expiryFailDays > thresholds.expiryWarnDays) {
    throw new UsageError(
      '--expiry-fail-days must not exceed --expiry-warn-days',
    );
  }
  return { format, now: parseNow(options.now), thresholds };
}

function toolVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../../package.json').version;
  } catch {
    return '0.0.0';
  }
}

/** Runs the check; resolves with the exit code. */
export async function runCheck(
  paths: readonly string[],
  options: CheckOptions,
  output: CheckOutput = processOutput,
): Promise<number> {
  let parsed;
  try {
    parsed = parseOptions(options);
  } catch (error) {
    output.stderr(`fl-security check: ${(error as Error).message}`);
    return 2;
  }
  if (paths.length === 0) {
    output.stderr('fl-security check: give at least one file or directory');
    return 2;
  }
  let loaded;
  try {
    loaded = await loadManifests(paths);
  } catch (error) {
    if (error instanceof ManifestError) {
      output.stderr(`fl-security check: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const reports = evaluateFederations({
    snapshots: [{ objects: loaded.objects, gaps: [] }],
    now: parsed.now,
    thresholds: parsed.thresholds,
  });
  if (reports.length === 0) {
    output.stderr(
      `fl-security check: no federated-learning workload in ${loaded.files.length} file(s) (expected the label backstage.io/kubernetes-id or fl-security/role, or a Flower image/command)`,
    );
    return 2;
  }
  if (parsed.format === 'json') output.stdout(formatJson(reports));
  else if (parsed.format === 'sarif')
    output.stdout(formatSarif(reports, loaded, toolVersion()));
  else output.stdout(formatText(reports, loaded));
  return reports.some(report => report.summary.fail > 0) ? 1 : 0;
}

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description(
      'Check Kubernetes manifests of FL federations against the fl-security rules (offline)',
    )
    .argument(
      '<paths...>',
      'manifest files or directories (YAML, JSON, List kinds; directories recursively)',
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices([...OUTPUT_FORMATS])
        .default('text'),
    )
    .option(
      '--now <iso>',
      'evaluate certificate validity at this ISO-8601 time instead of now',
    )
    .option(
      '--expiry-warn-days <n>',
      `warn when a certificate expires within N days (default ${DEFAULT_THRESHOLDS.expiryWarnDays})`,
    )
    .option(
      '--expiry-fail-days <n>',
      `fail when a certificate expires within N days (default ${DEFAULT_THRESHOLDS.expiryFailDays})`,
    )
    .action(async (paths: string[], options: CheckOptions) => {
      process.exitCode = await runCheck(paths, options);
    });
}
