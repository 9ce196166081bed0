/**
 * Our reachability against an independent oracle, np-guard's
 * netpol-analyzer (`netpolicy`, built by scripts/netpol-analyzer.sh): on
 * one-change variants of the generated policies, the in-cluster workloads
 * and external addresses that reach the aggregator's fleet port must be
 * the same for both (20 of 20 variants).
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Address4, Address6 } from 'ip-address';
import { stringify } from 'yaml';
import { generateFromInput, parseSpecText } from '../generator';
import { AddressSet } from './model/addressSet';
import { ClusterIndex } from './model/clusterIndex';
import { allowedSourcesOf, resolveFederations } from './model/federation';
import { ingressReachability } from './model/reachability';
import type { KubeObject } from './types';

const BIN = join(
  process.env.FLSEC_CACHE ??
    join(
      process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
      'fl-security',
    ),
  'bin',
  'netpolicy',
);
const PORT = 9092;
const AGG_NS = 'demo-federation-aggregator';

function golden(): KubeObject[] {
  const root = join(__dirname, '..', '..', '..', '..');
  const spec = parseSpecText(
    readFileSync(join(root, 'examples', 'federation.yaml'), 'utf8'),
  );
  if (!spec.ok) throw new Error(spec.errors.join('; '));
  const result = generateFromInput(spec.value);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return JSON.parse(JSON.stringify(result.objects)) as KubeObject[];
}

type Patch = (objects: KubeObject[]) => KubeObject[];

const policy = (objects: KubeObject[], ns: string, name: string): any => {
  const found = objects.find(
    o =>
      o.kind === 'NetworkPolicy' &&
      o.metadata.namespace === ns &&
      o.metadata.name === name,
  );
  if (!found) throw new Error(`no NetworkPolicy ${ns}/${name}`);
  return found;
};
const fleetIngress = (objects: KubeObject[]) =>
  policy(objects, AGG_NS, 'allow-fleet-ingress');
const edit =
  (change: (p: any, objects: KubeObject[]) => void): Patch =>
  objects => {
    change(fleetIngress(objects), objects);
    return objects;
  };
const extra =
  (spec: Record<string, unknown>): Patch =>
  objects =>
    [
      ...objects,
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'extra', namespace: AGG_NS },
        spec,
      } as KubeObject,
    ];
const from = (p: any) => p.spec.ingress[0].from as any[];

const VARIANTS: Record<string, Patch> = {
  golden: o => o,
  'one participant peer removed': edit(p => from(p).splice(0, 1)),
  'participant podSelector {}': edit(p => {
    from(p)[0].podSelector = {};
  }),
  'namespaceSelector dropped (own namespace)': edit(p => {
    delete from(p)[0].namespaceSelector;
  }),
  'namespaceSelector {} AND podSelector': edit(p => {
    from(p)[0].namespaceSelector = {};
  }),
  'AND split into OR peers': edit(p => {
    const [first] = from(p);
    from(p).splice(
      0,
      1,
      { namespaceSelector: first.namespaceSelector },
      { podSelector: first.podSelector },
    );
  }),
  'ipBlock with except': edit(p => {
    from(p).push({
      ipBlock: { cidr: '198.51.100.0/24', except: ['198.51.100.128/25'] },
    });
  }),
  'ipBlock 0.0.0.0/1 + 128.0.0.0/1': edit(p => {
    from(p).push(
      { ipBlock: { cidr: '0.0.0.0/1' } },
      { ipBlock: { cidr: '128.0.0.0/1' } },
    );
  }),
  'port moved to 9093': edit(p => {
    p.spec.ingress[0].ports = [{ protocol: 'TCP', port: 9093 }];
  }),
  'endPort range over the port': edit(p => {
    p.spec.ingress[0].ports = [{ protocol: 'TCP', port: 9000, endPort: 9100 }];
  }),
  'endPort range below the port': edit(p => {
    p.spec.ingress[0].ports = [{ protocol: 'TCP', port: 9000, endPort: 9091 }];
  }),
  'UDP instead of TCP': edit(p => {
    p.spec.ingress[0].ports = [{ protocol: 'UDP', port: PORT }];
  }),
  'ports removed (every port)': edit(p => {
    delete p.spec.ingress[0].ports;
  }),
  'from removed (every source)': edit(p => {
    delete p.spec.ingress[0].from;
  }),
  'podSelector of the policy narrowed away': edit(p => {
    p.spec.podSelector = { matchLabels: { app: 'nothing' } };
  }),
  'policyTypes Egress only': edit(p => {
    p.spec.policyTypes = ['Egress'];
  }),
  'extra allow-all ingress': extra({ podSelector: {}, ingress: [{}] }),
  'extra namespaceSelector {}': extra({
    podSelector: {},
    ingress: [{ from: [{ namespaceSelector: {} }] }],
  }),
  'extra own-namespace podSelector {}': extra({
    podSelector: {},
    ingress: [{ from: [{ podSelector: {} }] }],
  }),
  'extra matchExpressions NotIn': extra({
    podSelector: {},
    ingress: [
      {
        from: [
          {
            namespaceSelector: {
              matchExpressions: [
                {
                  key: 'kubernetes.io/metadata.name',
                  operator: 'NotIn',
                  values: ['clinic-c-fl'],
                },
              ],
            },
          },
        ],
        ports: [{ port: PORT }],
      },
    ],
  }),
};

/** Addresses of netpolicy's `a-b` ranges (comma-separated). */
function rangesSet(text: string): AddressSet {
  const ranges = text.split(',').map(part => {
    const [a, b] = part.trim().split('-');
    const v6 = a.includes(':');
    const parse = (t: string) =>
      (v6 ? new Address6(t) : new Address4(t)).bigInt();
    return { family: (v6 ? 6 : 4) as 4 | 6, first: parse(a), last: parse(b) };
  });
  return AddressSet.of(ranges);
}

function admitsPort(conn: string): boolean {
  if (conn === 'All Connections') return true;
  return conn.split(',').some(part => {
    const [protocol, ports] = part.trim().split(' ');
    if (protocol !== 'TCP') return false;
    if (!ports) return true;
    return ports.split(',').some(range => {
      const [lo, hi = lo] = range.split('-').map(Number);
      return PORT >= lo && PORT <= hi;
    });
  });
}

interface Reach {
  workloads: string[];
  addresses: string[];
}

function oracle(objects: KubeObject[]): Reach {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-oracle-'));
  try {
    writeFileSync(
      join(dir, 'all.yaml'),
      objects.map(o => stringify(o)).join('---\n'),
    );
    const out = execFileSync(
      BIN,
      ['list', '--dirpath', dir, '-o', 'json', '-q'],
      {
        encoding: 'utf8',
      },
    );
    const connections: Array<{ src: string; dst: string; conn: string }> =
      JSON.parse(out || '[]');
    const workloads = new Set<string>();
    let addresses = AddressSet.EMPTY;
    for (const c of connections) {
      if (c.dst !== `${AGG_NS}/superlink[Deployment]` || !admitsPort(c.conn))
        continue;
      // `{ingress-controller}`: netpolicy's pseudo-source for traffic via
      // Ingress objects, which our model counts as the addresses the
      // ingress-controller's own policies admit. Not a policy peer: skipped.
      if (c.src.startsWith('{')) continue;
      const workload = /^([^/]+\/[^[]+)\[/.exec(c.src);
      if (workload) workloads.add(workload[1]);
      else addresses = addresses.union(rangesSet(c.src));
    }
    return { workloads: [...workloads].sort(), addresses: addresses.toCidrs() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function ours(objects: KubeObject[]): Reach {
  const index = new ClusterIndex({ objects, gaps: [] });
  const [federation] = resolveFederations([index]);
  const aggregator = federation.aggregators[0];
  const reach = ingressReachability(
    aggregator,
    PORT,
    new Set(federation.participants.map(p => p.workload)),
    allowedSourcesOf(aggregator),
  );
  const workloads = new Set<string>();
  let addresses = AddressSet.EMPTY;
  const all = index.workloads.filter(w => w !== aggregator.workload);
  for (const source of reach.sources) {
    const label = source.label;
    if (source.type === 'any') {
      all.forEach(w => workloads.add(`${w.namespace}/${w.name}`));
      // netpolicy lists external addresses as IPv4 ranges here (no variant
      // names an IPv6 block), so "any" is compared on IPv4.
      addresses = addresses.union(AddressSet.all(4));
    } else if (source.type === 'cidr') {
      const [cidr, except] = label.split(' except ');
      const base = AddressSet.fromCidrs([cidr]).set;
      addresses = addresses.union(
        base.except(AddressSet.fromCidrs(except ? except.split(', ') : []).set),
      );
    } else if (source.type === 'namespace') {
      const ns = source.namespace;
      all
        .filter(w => ns === undefined || w.namespace === ns)
        .forEach(w => workloads.add(`${w.namespace}/${w.name}`));
    } else if (!label.startsWith('pods matching ')) {
      // (Pods of namespaces without workloads in the manifests: none to compare.)
      const match = /([^/ ]+)\/([^/ ]+)$/.exec(label);
      if (match) workloads.add(`${match[1]}/${match[2]}`);
    }
  }
  return { workloads: [...workloads].sort(), addresses: addresses.toCidrs() };
}

describe('reachability against netpol-analyzer', () => {
  beforeAll(() => {
    if (!existsSync(BIN))
      throw new Error(
        `netpol-analyzer is missing at ${BIN}: run scripts/netpol-analyzer.sh (make test does)`,
      );
  });

  it.each(Object.entries(VARIANTS))('agrees on %s', (_name, patch) => {
    const objects = patch(golden());
    expect(ours(objects)).toEqual(oracle(objects));
  });
});
