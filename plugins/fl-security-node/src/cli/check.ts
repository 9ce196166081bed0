/**
 * `fl-security check <file-or-dir>...`: evaluates manifests offline with the
 * compliance engine. Exit codes, for CI gates:
 *   0  nothing at or above the --fail-on level;
 *   1  a result at or above it (default `error`: a fail, or a rule that could
 *      not evaluate, or a certificate the engine could not read — a gate
 *      fails closed, so a pipeline never passes on what nobody checked);
 *   2  unreadable input or bad usage (one clear line, no stack trace).
 */
import type { ComplianceReport } from '@fl-security/plugin-fl-security-common';
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
  failOn?: string;
}

/** Lowest status that makes the check exit 1, from strictest to laxest gate. */
export const FAIL_ON_LEVELS = ['warn', 'error', 'fail'] as const;
export type FailOnLevel = (typeof FAIL_ON_LEVELS)[number];

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

function parseFailOn(text: string | undefined): FailOnLevel {
  const level = (text ?? 'error') as FailOnLevel;
  if (!FAIL_ON_LEVELS.includes(level)) {
    throw new UsageError(
      `--fail-on must be one of ${FAIL_ON_LEVELS.join(
        ', ',
      )}, got ${JSON.stringify(text)}`,
    );
  }
  return level;
}

/** Whether a report trips the gate at this level. */
export function tripsGate(
  report: Pick<ComplianceReport, 'summary' | 'errors'>,
  level: FailOnLevel,
): boolean {
  const { fail, error, warn } = report.summary;
  if (fail > 0) return true;
  if (level === 'fail') return false;
  if (error > 0 || report.errors.length > 0) return true;
  return level === 'warn' && warn > 0;
}

function parseOptions(options: CheckOptions): {
  format: OutputFormat;
  now: Date;
  thresholds: Thresholds;
  failOn: FailOnLevel;
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
  return {
    format,
    now: parseNow(options.now),
    thresholds,
    failOn: parseFailOn(options.failOn),
  };
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
  return reports.some(report => tripsGate(report, parsed.failOn)) ? 1 : 0;
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
    .addOption(
      new Option(
        '--fail-on <level>',
        'exit 1 when a result is at or above this level: fail, error (fail or could not evaluate) or warn',
      )
        .choices([...FAIL_ON_LEVELS])
        .default('error'),
    )
    .action(async (paths: string[], options: CheckOptions) => {
      process.exitCode = await runCheck(paths, options);
    });
}
