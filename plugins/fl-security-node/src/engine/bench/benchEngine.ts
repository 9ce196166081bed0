/**
 * Engine benchmark (a script, not a test): evaluates generated federations of
 * 10 to 5,000 participants and prints the median time per size, so the cost
 * can be seen to grow about linearly. Run from plugins/fl-security-node:
 *   npx tsx src/engine/bench/benchEngine.ts [--runs N] [--sizes 10,100,1000]
 * Exits 1 when 1,000 participants take 100 ms or more.
 */
import { performance } from 'node:perf_hooks';
import { generateFromInput } from '../../generator';
import { evaluateFederations } from '../evaluate';
import { federationPki, tlsSecret } from '../testing/builders';
import type { KubeObject } from '../types';

const BUDGET_MS = 100;

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** The generator's default federation with n participants, plus an issued aggregator Secret. */
function federation(n: number): KubeObject[] {
  const result = generateFromInput({
    name: 'bench',
    participants: Array.from({ length: n }, (_, i) => ({
      name: `site-${String(i).padStart(5, '0')}`,
    })),
    network: {
      exposure: 'ingress-nginx',
      externalHost: 'fl.example.com',
      allowedCidrs: ['203.0.113.0/24'],
    },
  });
  if (!result.ok)
    throw new Error(
      `generator rejected the bench spec: ${result.errors.join('; ')}`,
    );
  const objects = result.objects as unknown as KubeObject[];
  const { ca, server } = federationPki();
  const aggregatorNs = objects.find(
    o =>
      o.kind === 'Deployment' &&
      o.metadata.labels?.['fl-security/role'] === 'aggregator',
  )!.metadata.namespace!;
  return [
    ...objects,
    tlsSecret(aggregatorNs, 'superlink-tls', {
      crt: server.certPem,
      key: server.keyPem,
      ca: ca.certPem,
    }),
  ];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main(): number {
  const runs = Number(argument('--runs') ?? 7);
  const sizes = (argument('--sizes') ?? '10,100,1000,2000,5000')
    .split(',')
    .map(Number);
  const now = new Date();
  let atThousand: number | undefined;
  const rows: string[] = [];
  let previous: { n: number; ms: number } | undefined;
  for (const n of sizes) {
    const objects = federation(n);
    // Warm up the JIT and the certificate cache, then time fresh evaluations.
    evaluateFederations({ snapshots: [{ objects, gaps: [] }], now });
    const times: number[] = [];
    const cpu: number[] = [];
    let results = 0;
    let reachability = 0;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const startCpu = process.cpuUsage();
      const [report] = evaluateFederations({
        snapshots: [{ objects, gaps: [] }],
        now,
      });
      const used = process.cpuUsage(startCpu);
      times.push(performance.now() - start);
      cpu.push((used.user + used.system) / 1000);
      results = report.results.length;
      reachability = report.reachability.length;
    }
    const ms = median(times);
    const best = Math.min(...times);
    const cpuMs = median(cpu);
    if (n === 1000) atThousand = ms;
    const growth = previous
      ? ` x${(ms / previous.ms).toFixed(1)} for x${(n / previous.n).toFixed(
          0,
        )} participants`
      : '';
    rows.push(
      `${String(n).padStart(5)} participants  ${String(objects.length).padStart(
        6,
      )} objects  wall ${ms.toFixed(1).padStart(6)} ms median, ${best
        .toFixed(1)
        .padStart(6)} ms best; CPU ${cpuMs
        .toFixed(1)
        .padStart(6)} ms median (${runs} runs)  ${((ms / n) * 1000)
        .toFixed(0)
        .padStart(
          5,
        )} µs/participant  ${results} results, ${reachability} reachability entries${growth}`,
    );
    previous = { n, ms };
  }
  process.stdout.write(`${rows.join('\n')}\n`);
  if (atThousand !== undefined) {
    const ok = atThousand < BUDGET_MS;
    process.stdout.write(
      `1,000 participants: ${atThousand.toFixed(
        1,
      )} ms (budget ${BUDGET_MS} ms): ${ok ? 'ok' : 'OVER BUDGET'}\n`,
    );
    return ok ? 0 : 1;
  }
  return 0;
}

process.exitCode = main();
