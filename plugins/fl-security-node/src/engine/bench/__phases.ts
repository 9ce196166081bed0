import { performance } from 'node:perf_hooks';
import { generateFromInput } from '../../generator';
import { ClusterIndex } from '../model/clusterIndex';
import { resolveFederations } from '../model/federation';
import { ALL_RULES } from '../rules';
import { reachabilityEntries } from '../rules/reachabilityAnalysis';
import { DEFAULT_THRESHOLDS, KubeObject, evaluateFederations } from '..';
import { federationPki, tlsSecret } from '../testing/builders';
const n = Number(process.argv[2] ?? 1000);
const r = generateFromInput({
  name: 'bench',
  participants: Array.from({ length: n }, (_, i) => ({ name: `s${i}` })),
  network: {
    exposure: 'ingress-nginx',
    externalHost: 'fl.example.com',
    allowedCidrs: ['203.0.113.0/24'],
  },
});
if (!r.ok) throw new Error();
const { ca, server } = federationPki();
const objects = [
  ...(r.objects as unknown as KubeObject[]),
  tlsSecret('bench-aggregator', 'superlink-tls', {
    crt: server.certPem,
    key: server.keyPem,
    ca: ca.certPem,
  }),
];
const totals = new Map<string, number[]>();
for (let run = 0; run < 15; run++) {
  let t = performance.now();
  const add = (k: string) => {
    const now = performance.now();
    if (run >= 3) {
      const l = totals.get(k) ?? [];
      l.push(now - t);
      totals.set(k, l);
    }
    t = now;
  };
  const index = new ClusterIndex({ objects, gaps: [] });
  add('index');
  const [fed] = resolveFederations([index]);
  add('federations');
  let results = 0;
  for (const rule of ALL_RULES) {
    results += rule.evaluate({
      federation: fed,
      now: new Date(),
      thresholds: DEFAULT_THRESHOLDS,
    }).length;
    add(rule.id);
  }
  reachabilityEntries(fed);
  add('reachEntries');
  evaluateFederations({ snapshots: [{ objects, gaps: [] }], now: new Date() });
  add('FULL');
}
const med = (l: number[]) =>
  [...l].sort((a, b) => a - b)[Math.floor(l.length / 2)];
let sum = 0;
for (const [k, v] of totals) {
  if (k !== 'FULL') sum += med(v);
  console.log(
    k.padEnd(14),
    med(v).toFixed(2),
    'ms median',
    Math.min(...v).toFixed(2),
    'best',
  );
}
console.log('sum of phases', sum.toFixed(1));
