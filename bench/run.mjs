#!/usr/bin/env node
/**
 * `yarn bench`: generator, engine, live scan and entity tab benchmarks.
 * Runs each section in its own process (TypeScript through tsx; the entity
 * tab through jest with bench/entity-tab/jest.config.js), prints a table and
 * writes bench/results.json. Not part of `make test`.
 *
 *   yarn bench [--sections generator,offline,live,tab,fleet,silo] [--silo-sites 100] [--silo-servers 3] [--sizes 10,100,1000] [--runs N]
 *              [--offline-sizes 100,1000,5000] [--engine-sizes 100,1000,10000]
 *              [--tab-results 1000,17000] [--fleet-entities 10000] [--out bench/results.json]
 *
 * Every figure is the median of several runs after a warm-up (see
 * bench/README.md for what each one measures).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fleetGoals, fleetTable } from './fleet/report.mjs';
import { crossSiloChecks, crossSiloTable } from './crossSilo/report.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, '..');

const GOALS = {
  generatorMsAt1000: 1000,
  engineMsAt1000: 100,
  scanToBareListsRatio: 1.3,
  checkToKubeScoreRatio: 0.7,
  engineGrowthPerTenfold: 11,
  scanPeakRssMb: 400,
};

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

const SECTIONS = ['generator', 'offline', 'live', 'tab', 'fleet', 'silo'];
const sections = option('--sections', SECTIONS.join(',')).split(',');
if (sections.some(name => !SECTIONS.includes(name))) {
  console.error(`--sections: choose from ${SECTIONS.join(', ')}`);
  process.exit(2);
}
const sizes = option('--sizes', '10,100,1000');
const runs = option('--runs');
const tabResults = option('--tab-results', '1000,17000');
const outPath = path.resolve(root, option('--out', 'bench/results.json'));

if (Number(process.versions.node.split('.')[0]) < 22) {
  console.error(
    `Node ${process.version} is too old: run \`. scripts/env.sh\` first (Node 24).`,
  );
  process.exit(2);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fl-bench-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

function run(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...env },
    });
    child.on('error', reject);
    child.on('exit', code =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `${path.basename(
                args[args.length - 1] ?? command,
              )} exited with ${code}`,
            ),
          ),
    );
  });
}

async function section(name, work) {
  const started = Date.now();
  console.error(`\n== ${name}`);
  const value = await work();
  const seconds = (Date.now() - started) / 1000;
  console.error(`== ${name} done in ${seconds.toFixed(0)} s`);
  return { ...value, sectionSeconds: seconds };
}

async function tsSection(file, extraArgs = []) {
  const out = path.join(tmp, `${path.basename(file, '.ts')}.json`);
  await run(process.execPath, [
    '--import',
    'tsx',
    path.join(benchDir, 'sections', file),
    '--sizes',
    sizes,
    ...(runs ? ['--runs', runs] : []),
    ...extraArgs,
    '--out',
    out,
  ]);
  return JSON.parse(fs.readFileSync(out, 'utf8'));
}

async function tabSection() {
  const out = path.join(tmp, 'entity-tab.json');
  await run(
    process.execPath,
    [
      path.join(root, 'node_modules/jest/bin/jest.js'),
      '--config',
      path.join(benchDir, 'entity-tab/jest.config.js'),
      '--runInBand',
      '--silent',
    ],
    {
      BENCH_OUT: out,
      BENCH_TAB_RESULTS: tabResults,
      ...(runs ? { BENCH_RUNS: runs } : {}),
    },
  );
  return JSON.parse(fs.readFileSync(out, 'utf8'));
}

/** As the repo's prettier writes it, so `yarn prettier:check` stays clean. */
function formatJson(value) {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  try {
    return createRequire(import.meta.url)('prettier').format(text, {
      parser: 'json',
    });
  } catch {
    return text;
  }
}

function gitCommit() {
  const result = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: root,
    encoding: 'utf8',
  });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const ms = value =>
  value === undefined
    ? '-'
    : value >= 100
    ? Math.round(value).toLocaleString('en-US')
    : value.toFixed(1);
const mb = bytes =>
  bytes === undefined ? '-' : `${(bytes / 1048576).toFixed(0)} MB`;
const count = n => (n === undefined ? '-' : n.toLocaleString('en-US'));

/**
 * The scans' peak: the memory process only scans, so its maxRSS (the
 * kernel's high-water mark, which sees peaks between samples) is theirs.
 */
const scanPeak = memory =>
  Math.max(memory.scanPeakRss, memory.processMaxRss ?? 0);

function table(results) {
  const lines = [];
  const byN = new Map();
  for (const row of results.generator?.rows ?? [])
    byN.set(row.participants, { generator: row });
  for (const row of results.live?.rows ?? []) {
    byN.set(row.participants, { ...byN.get(row.participants), live: row });
  }
  if (byN.size > 0)
    lines.push(
      '| participants | generator ms | files | engine ms | snapshot objects | scan ms (read + engine) | bare lists ms | scan / bare lists | requests scan / bare |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
  for (const [n, { generator, live }] of [...byN].sort((a, b) => a[0] - b[0])) {
    lines.push(
      `| ${count(n)} | ${ms(generator?.ms.median)} | ${count(
        generator?.files,
      )} | ${ms(live?.engine.ms.median)} | ${count(live?.engine.objects)} | ${
        live
          ? `${ms(live.scan.ms.median)} (${ms(live.scan.readMs)} + ${ms(
              live.scan.evaluateMs,
            )})`
          : '-'
      } | ${ms(live?.bareLists.ms.median)} | ${
        live ? live.ratio.toFixed(2) : '-'
      } | ${
        live
          ? `${count(live.scan.requests)} / ${count(live.bareLists.requests)}`
          : '-'
      } |`,
    );
  }
  const tab = results.tab?.rows ?? [];
  if (tab.length) {
    lines.push(
      '',
      '| entity tab (jsdom) | first render ms | report → rendered ms | status filter ms |',
      '| --- | ---: | ---: | ---: |',
    );
    for (const row of tab) {
      lines.push(
        `| ${count(row.results)} results | ${ms(row.mountMs)} | ${ms(
          row.renderMs,
        )} | ${ms(row.filterMs)} |`,
      );
    }
  }
  const largest = results.live?.rows?.at(-1);
  if (largest) {
    lines.push(
      '',
      `Peak RSS of the ${count(largest.participants)}-participant scan: ${mb(
        scanPeak(largest.memory),
      )} in a process that only scans ` +
        `(process before the first scan ${mb(
          largest.memory.rssBeforeScans,
        )}; heap still in use after the scans ${mb(
          largest.memory.heapAfterScans,
        )}).`,
    );
  }
  const offline = results.offline;
  if (offline) {
    lines.push(
      '',
      `Offline check vs kube-score (${offline.kubeScore}), wall time per process:`,
      '',
      '| participants | files | fl-security check ms | kube-score ms | check / kube-score |',
      '| ---: | ---: | ---: | ---: | ---: |',
    );
    for (const row of offline.rows) {
      lines.push(
        `| ${count(row.participants)} | ${count(row.files)} | ${ms(
          row.check.median,
        )} | ${ms(row.kubeScore?.median)} | ${
          row.ratio === undefined ? '-' : row.ratio.toFixed(2)
        } |`,
      );
    }
    for (const row of offline.rows) {
      if (row.input && row.inputFiles !== row.files)
        lines.push(
          '',
          `${count(row.participants)} participants: both tools read ${
            row.input
          }.`,
        );
    }
    lines.push(
      '',
      '| engine alone, participants | objects | engine ms | × per ×10 participants |',
      '| ---: | ---: | ---: | ---: |',
    );
    offline.engine.forEach((row, i) => {
      const growth = offline.engineGrowth[i - 1];
      lines.push(
        `| ${count(row.participants)} | ${count(row.objects)} | ${ms(
          row.ms.median,
        )} | ${growth ? `×${growth.factor.toFixed(1)}` : '-'} |`,
      );
    });
  }
  lines.push(...fleetTable(results.fleet));
  lines.push(...crossSiloTable(results.silo, results.live));
  return lines.join('\n');
}

function goals(results) {
  const at = (rows, n) => rows?.find(r => r.participants === n);
  const checks = [];
  const generator = at(results.generator?.rows, 1000);
  if (generator) {
    checks.push([
      'generator, 1,000 participants',
      `${ms(generator.ms.median)} ms`,
      `< ${GOALS.generatorMsAt1000} ms`,
      generator.ms.median < GOALS.generatorMsAt1000,
    ]);
  }
  const live = at(results.live?.rows, 1000);
  if (live) {
    checks.push([
      'engine, 1,000 participants',
      `${ms(live.engine.ms.median)} ms`,
      `< ${GOALS.engineMsAt1000} ms`,
      live.engine.ms.median < GOALS.engineMsAt1000,
    ]);
  }
  for (const row of results.live?.rows ?? []) {
    checks.push([
      `scan / bare lists, ${count(row.participants)} participants`,
      row.ratio.toFixed(2),
      `≤ ${GOALS.scanToBareListsRatio}`,
      row.ratio <= GOALS.scanToBareListsRatio,
    ]);
  }
  for (const row of results.live?.rows ?? []) {
    if (row.scan.notPassing?.length) {
      checks.push([
        `scan of ${count(row.participants)} participants: results not passing`,
        row.scan.notPassing.map(r => `${r.ruleId} ${r.status}`).join(', '),
        'none',
        false,
      ]);
    }
  }
  for (const row of results.offline?.rows ?? []) {
    if (row.participants < 1000 || row.ratio === undefined) continue;
    checks.push([
      `check / kube-score, ${count(row.participants)} participants`,
      row.ratio.toFixed(2),
      `≤ ${GOALS.checkToKubeScoreRatio}`,
      row.ratio <= GOALS.checkToKubeScoreRatio,
    ]);
  }
  for (const growth of results.offline?.engineGrowth ?? []) {
    const tenfold = Math.log10(growth.to / growth.from);
    const factor = growth.factor ** (1 / tenfold);
    checks.push([
      `engine growth ${count(growth.from)} → ${count(growth.to)} participants`,
      `×${factor.toFixed(1)} per ×10`,
      `≤ ×${GOALS.engineGrowthPerTenfold}`,
      factor <= GOALS.engineGrowthPerTenfold,
    ]);
  }
  if (live && live.memory?.scanPeakRss !== undefined) {
    const peakMb = scanPeak(live.memory) / 1048576;
    checks.push([
      'live scan peak RSS, 1,000 participants',
      `${peakMb.toFixed(0)} MB`,
      `< ${GOALS.scanPeakRssMb} MB`,
      peakMb < GOALS.scanPeakRssMb,
    ]);
  }
  checks.push(...fleetGoals(results.fleet));
  checks.push(...crossSiloChecks(results.silo));
  return checks
    .map(
      ([what, value, goal, ok]) =>
        `${ok ? 'ok  ' : 'MISS'} ${what}: ${value} (goal ${goal})`,
    )
    .join('\n');
}

async function main() {
  const started = Date.now();
  const loadBefore = os.loadavg();
  const results = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      loadAverageBefore: loadBefore,
    },
    goals: GOALS,
  };
  if (sections.includes('generator')) {
    results.generator = await section('generator', () =>
      tsSection('generator.ts'),
    );
  }
  if (sections.includes('offline')) {
    results.offline = await section(
      'offline: fl-security check vs kube-score, engine alone',
      () =>
        tsSection('offline.ts', [
          ...(option('--offline-sizes')
            ? ['--offline-sizes', option('--offline-sizes')]
            : []),
          ...(option('--engine-sizes')
            ? ['--engine-sizes', option('--engine-sizes')]
            : []),
        ]),
    );
  }
  if (sections.includes('live')) {
    results.live = await section(
      'live scan + engine (local API server)',
      async () => {
        // Builds the control plane on first use (minutes), then returns at once.
        await run(path.join(root, 'scripts/ensure-test-cluster.sh'), []);
        return tsSection('live.ts');
      },
    );
  }
  if (sections.includes('tab')) {
    results.tab = await section('entity tab (jsdom)', tabSection);
  }
  if (sections.includes('fleet')) {
    results.fleet = await section('fleet route and refresh storm', async () => {
      await run(path.join(root, 'scripts/ensure-test-cluster.sh'), []);
      return tsSection(
        'fleet.ts',
        process.argv.includes('--fleet-entities')
          ? ['--fleet-entities', option('--fleet-entities')]
          : [],
      );
    });
  }
  if (sections.includes('silo')) {
    results.silo = await section(
      'cross-silo scan (clusters as contexts)',
      async () => {
        await run(path.join(root, 'scripts/ensure-test-cluster.sh'), []);
        return tsSection('crossSilo.ts', [
          '--sites',
          option('--silo-sites', '100'),
          '--servers',
          option('--silo-servers', '3'),
        ]);
      },
    );
  }
  results.machine.loadAverageAfter = os.loadavg();
  results.totalSeconds = (Date.now() - started) / 1000;
  fs.writeFileSync(outPath, formatJson(results));

  const load = a => a.map(l => l.toFixed(1)).join(' ');
  console.log(
    `\nnode ${process.version}, ${results.machine.cpus} CPUs (${results.machine.cpuModel}), ` +
      `load average ${load(loadBefore)} before, ${load(
        results.machine.loadAverageAfter,
      )} after; ` +
      `total ${(results.totalSeconds / 60).toFixed(1)} min\n`,
  );
  console.log(table(results));
  console.log(`\n${goals(results)}`);
  console.log(`\nwritten: ${path.relative(root, outPath)}`);
}

main().catch(error => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
