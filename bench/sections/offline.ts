/**
 * Offline: `fl-security check` against kube-score on the same generated
 * trees, in one run, plus the engine alone at growing sizes. Prints JSON
 * (see bench/run.mjs).
 *
 * - The check is the published CLI: both packages built and laid out as
 *   `npm install` would (plugins/fl-security-node/src/cli/__testUtils__/
 *   publishedCli.ts), run as `node …/bin/fl-security check <deploy dir>`.
 * - kube-score is installed from the Go module proxy into
 *   ~/.cache/fl-security/bin when Go is available (`go install`); without Go
 *   the section says so and times the check alone. Both get the same files
 *   (every YAML file but kustomization.yaml; merged into fewer files when
 *   there are more than the open-file limit lets kube-score open).
 * - Each run is one process start to exit (wall time), check and kube-score
 *   as interleaved pairs, alternating which goes first; the ratio is the
 *   median of the per-pair ratios.
 * - Engine: evaluateFederations on the generator's objects, in process.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { validateFederationSpec } from '@fl-security/plugin-fl-security-common';
import {
  evaluateFederations,
  generateFederationProject,
  generateFromInput,
  writeGeneratedFiles,
} from '@fl-security/plugin-fl-security-node';
import type { KubeObject } from '@fl-security/plugin-fl-security-node';
import {
  buildPublishedPackages,
  stagePublishedCli,
} from '../../plugins/fl-security-node/src/cli/__testUtils__/publishedCli';
import { benchSpec } from '../lib/benchSpec';
import { progress, sectionArgs, writeResult } from '../lib/args';
import { median, timing } from '../lib/stats';

/** The newest kube-score release the Go module proxy serves. */
export const KUBE_SCORE_MODULE = 'github.com/zegl/kube-score/cmd/kube-score';
export const KUBE_SCORE_VERSION = 'v1.20.0';
const CACHE_BIN = path.join(os.homedir(), '.cache', 'fl-security', 'bin');

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function ensureKubeScore(): { bin?: string; note: string } {
  const bin = path.join(CACHE_BIN, 'kube-score');
  const stamp = `${bin}.version`;
  if (
    fs.existsSync(bin) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, 'utf8').trim() === KUBE_SCORE_VERSION
  )
    return { bin, note: `kube-score ${KUBE_SCORE_VERSION} (cached)` };
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    return {
      note: 'kube-score not measured: Go is not installed (kube-score is installed with go install)',
    };
  }
  progress(`installing kube-score ${KUBE_SCORE_VERSION} with go install`);
  fs.mkdirSync(CACHE_BIN, { recursive: true });
  const install = spawnSync(
    'go',
    ['install', `${KUBE_SCORE_MODULE}@${KUBE_SCORE_VERSION}`],
    {
      env: { ...process.env, GOBIN: CACHE_BIN },
      cwd: os.tmpdir(),
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (install.status !== 0 || !fs.existsSync(bin)) {
    return {
      note: `kube-score not measured: go install ${KUBE_SCORE_MODULE}@${KUBE_SCORE_VERSION} failed`,
    };
  }
  fs.writeFileSync(stamp, `${KUBE_SCORE_VERSION}\n`);
  return { bin, note: `kube-score ${KUBE_SCORE_VERSION} (installed now)` };
}

/** Wall time of one process, start to exit; exit codes 0 and 1 are results. */
function wallMs(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', chunk => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', code => {
      const ms = performance.now() - start;
      // Exit 1 is a finding, unless the tool says it could not run.
      if (
        (code === 0 || code === 1) &&
        !/Failed to|too many open files/i.test(stderr)
      )
        resolve(ms);
      else
        reject(
          new Error(
            `${path.basename(command)} exited ${code}: ${stderr.slice(0, 500)}`,
          ),
        );
    });
  });
}

function manifestFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...manifestFiles(full, base));
    else if (
      /\.ya?ml$/.test(entry.name) &&
      !/^kustomization\.ya?ml$/.test(entry.name)
    )
      out.push(path.relative(base, full));
  }
  return out;
}

function generate(n: number) {
  const result = generateFromInput(benchSpec('bench', n));
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result;
}

/**
 * The generator's objects for n participants. The spec validator stops at
 * 5,000 participants; beyond it the validated spec's participant list is
 * extended the way the validator would write it (name, namespace).
 */
function generatedObjects(n: number): KubeObject[] {
  const validated = validateFederationSpec(
    benchSpec('bench', Math.min(n, 5000)),
  );
  if (!validated.ok) throw new Error(validated.errors.join('; '));
  const spec = validated.spec;
  const participants = Array.from({ length: n }, (_, i) => {
    const name = `site-${String(i).padStart(5, '0')}`;
    return { ...spec.participants[0], name, namespace: `${spec.name}-${name}` };
  });
  return generateFederationProject({ ...spec, participants })
    .objects as unknown as KubeObject[];
}

/** The open-file limit this process may raise its children to. */
function openFileLimit(): number {
  const result = spawnSync('/bin/sh', ['-c', 'ulimit -Hn'], {
    encoding: 'utf8',
  });
  const limit = Number(result.stdout.trim());
  return Number.isFinite(limit) ? limit : Infinity; // "unlimited"
}

/** Descriptors kube-score needs besides its input files. */
const SPARE_FILES = 256;

/**
 * The files both tools get. kube-score opens every file at once; when the
 * tree has more files than the hard open-file limit allows, consecutive
 * files are concatenated (as YAML documents, in order) into as few groups as
 * fit, and both tools read the same merged files. Same bytes, same input
 * method (paths), same number of opens for both.
 */
function commonInput(
  deploy: string,
  files: string[],
  mergedDir: string,
): { dir: string; files: string[]; input: string } {
  const limit = openFileLimit();
  if (files.length + SPARE_FILES <= limit) {
    return { dir: deploy, files, input: 'the generated files' };
  }
  const perFile = Math.ceil(files.length / (limit - SPARE_FILES));
  fs.mkdirSync(mergedDir, { recursive: true });
  const merged: string[] = [];
  for (let i = 0; i < files.length; i += perFile) {
    const name = `part-${String(merged.length).padStart(6, '0')}.yaml`;
    const text = files
      .slice(i, i + perFile)
      .map(f => fs.readFileSync(path.join(deploy, f), 'utf8').trimEnd())
      .join('\n---\n');
    fs.writeFileSync(path.join(mergedDir, name), `${text}\n`);
    merged.push(name);
  }
  return {
    dir: mergedDir,
    files: merged,
    input: `${merged.length} files of ${perFile} generated files each (hard open-file limit ${limit})`,
  };
}

/** kube-score on the given files, its soft open-file limit raised to fit them. */
function kubeScoreRun(
  bin: string,
  files: string[],
): { command: string; args: string[] } {
  return {
    command: '/bin/sh',
    args: [
      '-c',
      `ulimit -n ${files.length + SPARE_FILES} 2>/dev/null; exec "$0" "$@"`,
      bin,
      'score',
      '--output-format',
      'ci',
      ...files,
    ],
  };
}

function engineRow(n: number, runs: number) {
  const objects = generatedObjects(n);
  const now = new Date();
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const start = performance.now();
    evaluateFederations({ snapshots: [{ objects, gaps: [] }], now });
    if (i > 0) times.push(performance.now() - start);
  }
  return { participants: n, objects: objects.length, ms: timing(times) };
}

async function main() {
  const args = sectionArgs({ runs: 5 });
  const sizes = (option('--offline-sizes') ?? '100,1000,5000')
    .split(',')
    .map(Number);
  const engineSizes = (option('--engine-sizes') ?? '100,1000,10000')
    .split(',')
    .map(Number);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fl-offline-'));
  try {
    const kubeScore = ensureKubeScore();
    progress(kubeScore.note);
    progress('building the published CLI (backstage-cli package build)');
    buildPublishedPackages();
    const cli = stagePublishedCli(path.join(tmp, 'install'));
    const rows = [];
    for (const n of sizes) {
      const out = path.join(tmp, `tree-${n}`);
      await writeGeneratedFiles(out, generate(n).files, {});
      const deploy = path.join(out, 'deploy');
      const files = manifestFiles(deploy);
      const input = commonInput(deploy, files, path.join(out, 'merged'));
      const runs = n >= 5000 ? Math.min(args.runs, 3) : args.runs;
      const scoreRun = kubeScore.bin
        ? kubeScoreRun(kubeScore.bin, input.files)
        : undefined;
      const check: number[] = [];
      const score: number[] = [];
      const ratios: number[] = [];
      for (let i = 0; i < args.warmup + runs; i++) {
        const runCheck = () =>
          wallMs(process.execPath, [cli.bin, 'check', input.dir], {
            env: cli.env,
          });
        const runScore = () =>
          wallMs(scoreRun!.command, scoreRun!.args, { cwd: input.dir });
        let c: number;
        let s: number | undefined;
        if (!kubeScore.bin) c = await runCheck();
        else if (i % 2 === 0) {
          c = await runCheck();
          s = await runScore();
        } else {
          s = await runScore();
          c = await runCheck();
        }
        if (i < args.warmup) continue;
        check.push(c);
        if (s !== undefined) {
          score.push(s);
          ratios.push(c / s);
        }
      }
      const row = {
        participants: n,
        files: files.length,
        inputFiles: input.files.length,
        check: timing(check),
        kubeScore: score.length ? timing(score) : undefined,
        input: input.input,
        ratio: ratios.length ? median(ratios) : undefined,
      };
      progress(
        `offline ${n}: check ${row.check.median.toFixed(0)} ms, kube-score ${
          row.kubeScore ? row.kubeScore.median.toFixed(0) : '-'
        } ms, ratio ${row.ratio?.toFixed(2) ?? '-'}`,
      );
      rows.push(row);
      fs.rmSync(out, { recursive: true, force: true });
    }
    const engine = engineSizes.map(n => {
      const row = engineRow(n, n >= 10000 ? 3 : 5);
      progress(
        `engine ${n}: ${row.ms.median.toFixed(1)} ms (${row.objects} objects)`,
      );
      return row;
    });
    const growth = engine.slice(1).map((row, i) => ({
      from: engine[i].participants,
      to: row.participants,
      factor: row.ms.median / engine[i].ms.median,
    }));
    writeResult(args, {
      kubeScore: kubeScore.note,
      rows,
      engine,
      engineGrowth: growth,
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch(error => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
