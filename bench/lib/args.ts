/** Command-line options of a section: `--sizes 10,100,1000 --runs 5 --out file.json`. */
import fs from 'node:fs';

export interface SectionArgs {
  sizes: number[];
  runs: number;
  warmup: number;
  out?: string;
}

function value(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

export function sectionArgs(defaults: {
  runs: number;
  warmup?: number;
}): SectionArgs {
  const sizes = (value('--sizes') ?? '10,100,1000')
    .split(',')
    .map(s => Number(s.trim()));
  if (sizes.some(n => !Number.isInteger(n) || n < 1)) {
    throw new Error(
      `--sizes must be positive integers, got ${value('--sizes')}`,
    );
  }
  // Absent or 0: the section's default (0 there: chosen per size).
  const given = Number(value('--runs') ?? 0);
  if (!Number.isInteger(given) || given < 0)
    throw new Error('--runs must be a positive integer');
  const runs = given || defaults.runs;
  return {
    sizes,
    runs,
    warmup: Number(value('--warmup') ?? defaults.warmup ?? 1),
    out: value('--out'),
  };
}

/** Writes the section's result for bench/run.mjs (or prints it when run alone). */
export function writeResult(args: SectionArgs, result: unknown): void {
  const text = `${JSON.stringify(result, null, 2)}\n`;
  if (args.out) fs.writeFileSync(args.out, text);
  else process.stdout.write(text);
}

export function progress(message: string): void {
  process.stderr.write(`  ${message}\n`);
}
