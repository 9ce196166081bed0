/**
 * Generator: validation of the spec plus generation of the whole project
 * (what the scaffolder action and the CLI do before writing files), for
 * each size. Prints JSON (see bench/run.mjs).
 */
import { validateFederationSpec } from '@fl-security/plugin-fl-security-common';
import { generateFederationProject } from '@fl-security/plugin-fl-security-node';
import { benchSpec } from '../lib/benchSpec';
import { progress, sectionArgs, writeResult } from '../lib/args';
import { median, timed, timing } from '../lib/stats';

async function main() {
  const args = sectionArgs({ runs: 7, warmup: 2 });
  const rows = [];
  for (const n of args.sizes) {
    const input = benchSpec('bench', n);
    const validateRuns: number[] = [];
    const generateRuns: number[] = [];
    const totalRuns: number[] = [];
    let files = 0;
    let objects = 0;
    let bytes = 0;
    for (let i = 0; i < args.warmup + args.runs; i++) {
      const validated = await timed(() => validateFederationSpec(input));
      if (!validated.value.ok) {
        throw new Error(validated.value.errors.join('; '));
      }
      const spec = validated.value.spec;
      const generated = await timed(() => generateFederationProject(spec));
      if (i < args.warmup) continue;
      validateRuns.push(validated.ms);
      generateRuns.push(generated.ms);
      totalRuns.push(validated.ms + generated.ms);
      files = generated.value.files.length;
      objects = generated.value.objects.length;
      bytes = generated.value.files.reduce(
        (sum, f) => sum + f.content.length,
        0,
      );
    }
    const row = {
      participants: n,
      files,
      objects,
      bytes,
      ms: timing(totalRuns),
      validateMs: median(validateRuns),
      generateMs: median(generateRuns),
    };
    progress(`generator ${n}: ${row.ms.median.toFixed(1)} ms, ${files} files`);
    rows.push(row);
  }
  writeResult(args, { rows });
}

main().catch(error => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
